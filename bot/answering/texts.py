"""Texts of the answering feature."""

NL = {
    "answer.reviewed": "Gecontroleerd op {date} · eigenaar: {owner}",
    "answer.sources": "Bronnen",
    "answer.helpful_yes": "Ja, dit hielp",
    "answer.helpful_no": "Nee",
    "answer.ask_question": "Was dit antwoord nuttig?",
    "answer.thanks_yes": "Fijn dat het hielp! Bedankt voor je reactie.",
    "answer.thanks_no": "Bedankt voor je eerlijke reactie. Zal ik je vraag doorgeven aan een procesbegeleider?",
    "answer.escalate": "Vraag het een procesbegeleider",
    "answer.escalated": "Ik heb je vraag doorgegeven aan een procesbegeleider. Je hoort het van een mens.",
    "answer.escalated_already": "Je vraag is al doorgegeven aan een procesbegeleider ({date}).",
    "answer.escalate_unavailable": (
        "Er is nog geen kanaal voor procesbegeleiders ingesteld. Vraag het de procesbegeleider van je "
        "krachtteam of Transform4C rechtstreeks."
    ),
    "answer.escalation_post": "**Vraag voor een procesbegeleider**\n>{question}\nGesteld in: {where}{link}",
    "answer.escalation_fallback": "Een vraag die lefbot niet kon beantwoorden: {question}",
    "answer.clarify": "Ik weet niet zeker wat je bedoelt. Bedoelde je…?",
    "answer.clarify_none": "Geen van deze",
    "answer.unknown": (
        "Dat weet ik (nog) niet. Ik heb je vraag genoteerd, zodat de kennisbank beter wordt. "
        "Wil je dat een procesbegeleider meekijkt? Je kunt het ook rechtstreeks vragen aan de "
        "procesbegeleider van je krachtteam."
    ),
    "answer.unknown_related": "Misschien helpt een van deze onderwerpen:",
    "answer.sprints_intro": "De sprints van jouw team:",
    "answer.sprint_current": "• **{team}**: nu loopt _{sprint}_, tot en met {end}.",
    "answer.sprint_next": "• **{team}**: de volgende sprint, _{sprint}_, begint op {start}.",
    "answer.sprint_none": "• **{team}**: er is nog geen volgende sprint gepland.",
    "answer.off_topic": (
        "Dat weet ik niet: dit lijkt een vraag over {label}, en daar gaat lefbot niet over. Ik beantwoord "
        "vragen over Ambtenaren met Lef, de circulaire economie en werken in sprints. Hoort je vraag daar "
        "toch bij? Dan kijkt een procesbegeleider graag mee."
    ),
    "answer.empty": "Je bericht is leeg. Stel gerust een vraag, bijvoorbeeld: _Wat is een krachtteam?_",
    "answer.too_long": (
        "Dat is een lange tekst ({count} tekens). Stel je vraag liever in één of twee zinnen, "
        "dan kan ik gerichter zoeken."
    ),
    "answer.not_yours": "Alleen wie de vraag stelde kan hierop reageren.",
    "answer.gone": "Die vraag kan ik niet meer terugvinden. Stel hem gerust opnieuw.",
    "answer.shared": "[@{user}](user:{user}) deelde dit antwoord van lefbot:",
    "smalltalk.greeting": (
        "Hoi! Ik ben lefbot. Stel me een vraag over Ambtenaren met Lef, de circulaire economie of werken in sprints."
    ),
    "smalltalk.thanks": "Graag gedaan! Vraag gerust verder.",
    "smalltalk.bye": "Tot ziens! Je kunt me altijd weer iets vragen.",
    "help.title": "Wat kan lefbot voor je doen?",
    "help.intro": (
        "• **Vragen beantwoorden** over Ambtenaren met Lef, DuurzaamDoor, de circulaire economie en werken "
        "in sprints. Stel je vraag gewoon in gewone woorden. Weet ik het niet, dan zeg ik dat eerlijk en "
        "geef ik je vraag door aan een procesbegeleider.\n"
        "• **Herinneringen** aan deadlines van je krachtteam, op werkdagen.\n"
        "• **Check-ins**: korte stand-up vragen, om je team te helpen (niet om mensen te beoordelen)."
    ),
    "help.commands": "Opdrachten",
    "console.welcome": (
        "lefbot — typ je vraag en druk op Enter. Je bent hier de gebruiker {user}. Typ `{cmd} help` voor de "
        "opdrachten. Een knop kies je met zijn nummer, met `ja`/`nee` of met het eerste woord van de knop. "
        "Typ `stop` om te stoppen (tijdens een check-in stopt dat alleen de check-in)."
    ),
    "console.bye": "Tot ziens!",
    "console.choose": "Typ het nummer van je keuze (1 tot en met {last}).",
    "console.feedback": "Hielp dit? Typ `ja` of `nee`.",
    "console.buttons": (
        "Kies een knop: typ het nummer (1 tot en met {last}), `ja`/`nee` of het eerste woord van de knop."
    ),
    "console.bad_number": "Kies een nummer van 1 tot en met {last}, of typ je vraag in woorden.",
    "console.no_action": "Oké, ik doe niets.",
    "console.unknown_command": "Onbekend commando `{command}`. Typ `{cmd} help` voor alle opdrachten.",
    "console.unknown_command_near": (
        "Onbekend commando `{command}`. Bedoelde je `{cmd} {near}`? Typ `{cmd} help` voor alle opdrachten."
    ),
}

EN = {
    "answer.reviewed": "Reviewed on {date} · owner: {owner}",
    "answer.sources": "Sources",
    "answer.helpful_yes": "Yes, this helped",
    "answer.helpful_no": "No",
    "answer.ask_question": "Was this answer useful?",
    "answer.thanks_yes": "Glad it helped! Thanks for letting me know.",
    "answer.thanks_no": "Thanks for your honest feedback. Shall I pass your question on to a process supporter?",
    "answer.escalate": "Ask a process supporter",
    "answer.escalated": "I passed your question on to a process supporter. A person will get back to you.",
    "answer.escalated_already": "Your question was already passed on to a process supporter ({date}).",
    "answer.escalate_unavailable": (
        "No channel for process supporters has been set up yet. Please ask your team's process supporter "
        "or Transform4C directly."
    ),
    "answer.escalation_post": "**Question for a process supporter**\n>{question}\nAsked in: {where}{link}",
    "answer.escalation_fallback": "A question lefbot could not answer: {question}",
    "answer.clarify": "I'm not sure what you mean. Did you mean…?",
    "answer.clarify_none": "None of these",
    "answer.unknown": (
        "I don't know that (yet). I noted your question so the knowledge base can improve. Shall a "
        "process supporter take a look? You can also ask your team's process supporter directly."
    ),
    "answer.unknown_related": "Perhaps one of these topics helps:",
    "answer.sprints_intro": "Your team's sprints:",
    "answer.sprint_current": "• **{team}**: _{sprint}_ runs now, until {end} inclusive.",
    "answer.sprint_next": "• **{team}**: the next sprint, _{sprint}_, starts on {start}.",
    "answer.sprint_none": "• **{team}**: no next sprint has been planned yet.",
    "answer.off_topic": (
        "I don't know: this looks like a question about {label}, which lefbot does not cover. I answer "
        "questions about Ambtenaren met Lef, the circular economy and working in sprints. Does your question "
        "belong there after all? Then a process supporter will gladly take a look."
    ),
    "answer.empty": "Your message is empty. Feel free to ask a question, for example: _What is a krachtteam?_",
    "answer.too_long": "That is a long text ({count} characters). Please ask your question in one or two sentences.",
    "answer.not_yours": "Only the person who asked can respond to this.",
    "answer.gone": "I can no longer find that question. Feel free to ask it again.",
    "answer.shared": "[@{user}](user:{user}) shared this answer from lefbot:",
    "smalltalk.greeting": (
        "Hi! I'm lefbot. Ask me about Ambtenaren met Lef, the circular economy or working in sprints."
    ),
    "smalltalk.thanks": "You're welcome! Feel free to ask more.",
    "smalltalk.bye": "Goodbye! You can ask me anything any time.",
    "help.title": "What can lefbot do for you?",
    "help.intro": (
        "• **Answer questions** about Ambtenaren met Lef, DuurzaamDoor, the circular economy and working in "
        "sprints (answers are in Dutch). If I don't know, I say so and pass your question on to a person.\n"
        "• **Reminders** about your team's deadlines, on working days.\n"
        "• **Check-ins**: short stand-up questions to help the team (not to assess people)."
    ),
    "help.commands": "Commands",
    "console.welcome": (
        "lefbot — type your question and press Enter. Here you are the user {user}. Type `{cmd} help` for "
        "commands. Pick a button by its number, with `yes`/`no` or with the first word of the button. "
        "Type `stop` to quit (during a check-in it only stops the check-in)."
    ),
    "console.bye": "Goodbye!",
    "console.choose": "Type the number of your choice (1 to {last}).",
    "console.buttons": ("Pick a button: type its number (1 to {last}), `yes`/`no` or the first word of the button."),
    "console.bad_number": "Pick a number from 1 to {last}, or type your question in words.",
    "console.no_action": "OK, I won't do anything.",
    "console.unknown_command": "Unknown command `{command}`. Type `{cmd} help` for all commands.",
    "console.unknown_command_near": (
        "Unknown command `{command}`. Did you mean `{cmd} {near}`? Type `{cmd} help` for all commands."
    ),
    "console.feedback": "Did this help? Type `yes` or `no`.",
}
