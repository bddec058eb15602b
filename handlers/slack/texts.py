"""Texts only the Slack adapter shows (Dutch first, English second)."""

from __future__ import annotations

NL = {
    "share": "Deel in kanaal",
    "shared_private": "Gedeeld in het kanaal.",
    "share_failed": "Delen lukte niet: voeg lefbot eerst toe aan dit kanaal (`/invite @lefbot`).",
    "error": "Sorry, er ging iets mis aan mijn kant. Probeer het over een paar minuten opnieuw.",
    "escalate_failed": (
        "Het doorgeven aan een procesbegeleider lukte nu niet. Probeer het later opnieuw, of vraag het "
        "de procesbegeleider van je krachtteam rechtstreeks."
    ),
    "unknown_action": "Deze knop werkt niet meer. Stel je vraag gerust opnieuw.",
    "home_title": "Welkom bij lefbot",
    "home_how": (
        "*Zo stel je een vraag*\n"
        "• Stuur mij hier een direct bericht (tabblad _Berichten_).\n"
        "• Noem mij in een kanaal: `@lefbot wat is een krachtteam?` (ik antwoord in de draad).\n"
        "• Of typ `/lef vraag <je vraag>`: alleen jij ziet het antwoord, met een knop om het te delen."
    ),
    "home_count": "Je stelde de afgelopen {days} dagen {count} vraag/vragen.",
    "home_privacy": "lefbot bewaart je vragen met een pseudoniem, niet met je naam. Meer: `/lef help`.",
}

EN = {
    "share": "Share in channel",
    "shared_private": "Shared in the channel.",
    "share_failed": "Sharing failed: add lefbot to this channel first (`/invite @lefbot`).",
    "error": "Sorry, something went wrong on my side. Please try again in a few minutes.",
    "escalate_failed": (
        "Passing your question on failed just now. Please try again later, or ask your team's process "
        "supporter directly."
    ),
    "unknown_action": "This button no longer works. Feel free to ask your question again.",
    "home_title": "Welcome to lefbot",
    "home_how": (
        "*How to ask*\n"
        "• Send me a direct message here (the _Messages_ tab).\n"
        "• Mention me in a channel: `@lefbot what is a krachtteam?` (I answer in the thread).\n"
        "• Or type `/lef vraag <your question>`: only you see the answer, with a button to share it."
    ),
    "home_count": "You asked {count} question(s) in the last {days} days.",
    "home_privacy": "lefbot stores your questions under a pseudonym, not your name. More: `/lef help`.",
}


def st(key: str, lang: str = "nl", /, **values: object) -> str:
    """A Slack adapter text in `lang` (Dutch when missing), filled in with `values`."""
    template = (EN if lang == "en" else NL).get(key) or NL[key]
    return template.format(**values) if values else template
