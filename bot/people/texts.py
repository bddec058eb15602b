"""Texts of the privacy commands."""

NL = {
    "privacy.title": "**Dit bewaart lefbot over jou**",
    "privacy.kind.questions": "Je vragen (opgeslagen onder een pseudoniem, niet onder je naam)",
    "privacy.kind.member": "Je profiel, teams, vrije dagen, afwezigheid en deadlines",
    "privacy.more": "… en nog {count}.",
    "privacy.how_to_erase": "Wil je dit wissen? Typ `{cmd} vergeet mij`.",
    "privacy.confirm": (
        "Weet je het zeker? Ik wis dan alles wat ik over jou bewaar: je vragen, je instellingen en je "
        "check-in antwoorden. Dit kan niet ongedaan worden gemaakt."
    ),
    "privacy.confirm_button": "Ja, wis mijn gegevens",
    "privacy.erased": "Klaar: ik heb {count} gegeven(s) over jou gewist.",
    "privacy.sole_supporter": (
        "Let op: je bent de enige procesbegeleider van {teams}. Na het wissen heeft dat team niemand die het "
        "beheert. Voeg eerst iemand toe met `{cmd} team begeleider <team> | @persoon`."
    ),
    "privacy.profile": "profiel: {name} · {tz} · taal {lang} · werkdagen {work} · vrije dagen {free}",
    "privacy.role.member": "lid",
    "privacy.role.supporter": "procesbegeleider",
}

EN = {
    "privacy.title": "**What lefbot keeps about you**",
    "privacy.kind.questions": "Your questions (stored under a pseudonym, not your name)",
    "privacy.kind.member": "Your profile, teams, free days, out-of-office and deadlines",
    "privacy.more": "… and {count} more.",
    "privacy.how_to_erase": "Want this erased? Type `{cmd} vergeet mij`.",
    "privacy.confirm": (
        "Are you sure? I will erase everything I keep about you: your questions, your settings and your "
        "check-in answers. This cannot be undone."
    ),
    "privacy.confirm_button": "Yes, erase my data",
    "privacy.erased": "Done: I erased {count} record(s) about you.",
    "privacy.sole_supporter": (
        "Note: you are the only process supporter of {teams}. After erasing, nobody manages that team. "
        "Add someone first with `{cmd} team begeleider <team> | @person`."
    ),
}
