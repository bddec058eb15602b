"""Texts of the chat port itself (reaching members), Dutch and English."""

NL = {
    "chat.unreachable": (
        "Ik kan {member} van {team} nog niet rechtstreeks bereiken: die persoon heeft lefbot nog niet geopend. "
        "Vraag {member} om lefbot één keer te openen of een bericht te sturen. "
        "Tot dan krijgt {member} geen herinneringen en check-ins."
    ),
    "chat.sent_in_dm": "Ik heb je het antwoord in een privébericht gestuurd.",
}

EN = {
    "chat.unreachable": (
        "I cannot reach {member} of {team} directly yet: they have not opened lefbot. "
        "Ask {member} to open lefbot once or send it a message. "
        "Until then {member} gets no reminders or check-ins."
    ),
    "chat.sent_in_dm": "I sent you the answer in a direct message.",
}
