"""Texts of `/lef onbeantwoord`."""

NL = {
    "curation.title": "**Vragen die ik niet goed kon beantwoorden** (laatste 30 dagen, open): {count}",
    "curation.how": "Afsluiten: `{cmd} onbeantwoord opgelost <nummer>`, bijvoorbeeld `{cmd} onbeantwoord opgelost 12`.",
    "curation.usage": "Typ de nummers uit de lijst, bijvoorbeeld `{cmd} onbeantwoord opgelost 12 15`.",
    "curation.resolved": "Afgesloten: {ids}.",
    "curation.missing": "Geen open vraag met nummer {ids}.",
    "curation.not_allowed": "Alleen procesbegeleiders zien de onbeantwoorde vragen.",
}

EN = {
    "curation.title": "**Questions I could not answer well** (last 30 days, open): {count}",
    "curation.how": "To close one: `{cmd} unanswered resolve <number>`, for example `{cmd} unanswered resolve 12`.",
    "curation.usage": "Type the numbers from the list, for example `{cmd} unanswered resolve 12 15`.",
    "curation.resolved": "Closed: {ids}.",
    "curation.missing": "No open question with number {ids}.",
    "curation.not_allowed": "Only process supporters see the unanswered questions.",
}
