"""Texts of the stand-up check-ins (B1 Dutch first, English second)."""

NL = {
    "checkins.q.done": "Wat heb je sinds de vorige check-in gedaan voor het sprintdoel?",
    "checkins.q.next": "Wat ga je hierna doen?",
    "checkins.q.blocker": "Waar loop je vast, of wat heb je nodig?",
    "checkins.q.confidence": "Hoeveel vertrouwen heb je dat het team het sprintdoel haalt? (1 = weinig, 5 = veel)",
    "checkins.q.blocker_hint": "Typ 'niets' als je nergens op vastloopt.",
    "checkins.prompt.title": "Check-in van {team}",
    "checkins.prompt.body": (
        "Hoi {name}! Tijd voor de check-in van {team}. Het kost je twee minuten. "
        "Je antwoorden helpen het team; ze zijn niet bedoeld om jou te beoordelen.\n"
        "Klik op **Invullen**, of antwoord hier één vraag per bericht.\n\n"
        "**Vraag 1 van {count}:** {question}"
    ),
    "checkins.reminder.body": (
        "Kleine herinnering: de check-in van {team} staat nog open. Om {summary} maak ik de samenvatting. "
        "Klik op **Invullen** of antwoord hier.\n\n**Vraag {number} van {count}:** {question}"
    ),
    "checkins.button.open": "Invullen",
    "checkins.button.edit": "Antwoorden wijzigen",
    "checkins.button.later": "Later (over 1 uur)",
    "checkins.button.skip": "Vandaag overslaan",
    "checkins.button.off": "Ik ben vrij",
    "checkins.button.pickup": "Ik pak het op",
    "checkins.button.csv": "CSV downloaden",
    "checkins.button.settings": "Aanpassen",
    "checkins.form.title": "Check-ins instellen",
    "checkins.form.days": "Dagen (bijvoorbeeld ma,do)",
    "checkins.form.time": "Tijd van de check-in (lokale tijd van elk lid)",
    "checkins.form.summary": "Tijd van de samenvatting (tijdzone van het team)",
    "checkins.form.question": "Vraag {number}",
    "checkins.form.question_en": "Vraag {number} in het Engels (voor Engelstalige leden)",
    "checkins.later.ok": "Goed, ik vraag het je over een uur nog een keer (om {time}).",
    "checkins.later.too_late": (
        "Over een uur is het na werktijd. Je kunt nog antwoorden tot {summary}; daarna kan het ook nog."
    ),
    "checkins.skip.ok": "Prima, je slaat deze check-in over. Tot de volgende keer!",
    "checkins.off.ok": "Fijne vrije dag! Ik heb vandaag als vrij genoteerd, dus je krijgt vandaag geen berichten meer.",
    "checkins.question": "**Vraag {number} van {count}:** {question}",
    "checkins.stopped": "Gestopt. Je kunt later nog antwoorden via de knop **Invullen** in mijn bericht.",
    "checkins.thanks": "Dank je wel! Je antwoorden staan erin. Je kunt ze wijzigen tot de volgende check-in.",
    "checkins.thanks_late": "Dank je wel! De samenvatting was al gemaakt; ik zet je antwoorden erbij in de draad.",
    "checkins.updated": "Je antwoorden zijn bijgewerkt.",
    "checkins.next_team": "Nu de check-in van **{team}**:",
    "checkins.unchanged": "Je antwoorden waren al zo opgeslagen. Er is niets veranderd.",
    "checkins.error.empty": "Dit antwoord is leeg. Schrijf een paar woorden.",
    "checkins.error.too_long": "Dit antwoord is te lang: {length} tekens. Het mag maximaal {max} tekens zijn.",
    "checkins.error.emoji": "Ik zie alleen emoji of tekens. Schrijf ook een paar woorden, dan kan het team je volgen.",
    "checkins.error.scale": "Kies een getal van 1 tot en met 5.",
    "checkins.error.blocker_emoji": (
        "Ik zie alleen emoji. Typ 'niets' als je nergens op vastloopt, of beschrijf kort waar je op vastloopt."
    ),
    "checkins.error.round_gone": "Deze check-in bestaat niet meer. Wacht op de volgende.",
    "checkins.error.not_yours": "Deze check-in is niet voor jou bedoeld.",
    "checkins.defused": "Let op: meldingen zoals @channel en @-vermeldingen zet ik niet door.",
    "checkins.modal.title": "Check-in",
    "checkins.modal.submit": "Versturen",
    "checkins.modal.close": "Annuleren",
    "checkins.summary.title": "Check-in {team} — {date}",
    "checkins.summary.participation": "Deelname: {answered}/{expected}",
    "checkins.summary.confidence": "Vertrouwen in het sprintdoel: gemiddeld {avg} {spark}",
    "checkins.summary.no_confidence": "Vertrouwen in het sprintdoel: nog geen cijfers",
    "checkins.summary.blockers": "**Blokkades**",
    "checkins.summary.no_blockers": "Geen blokkades gemeld.",
    "checkins.summary.missing": "Nog niet ingevuld: {names}",
    "checkins.summary.skipped": "Overgeslagen: {names}",
    "checkins.summary.off": "Vrij: {names}",
    "checkins.summary.thread_hint": "De antwoorden staan in de draad.",
    "checkins.summary.purpose": "Check-ins helpen het team; ze zijn niet bedoeld om mensen te beoordelen.",
    "checkins.thread.late": "(later ingevuld)",
    "checkins.thread.edited": "(bijgewerkt)",
    "checkins.blocker.dm": "**Blokkade in {team}** — {name} schreef bij de check-in van {date}:\n> {text}",
    "checkins.pickup.done": "Jij pakt deze blokkade op. Ik heb {name} laten weten dat jij contact opneemt.",
    "checkins.pickup.already": "Deze blokkade is al opgepakt door {name}.",
    "checkins.pickup.member": '{supporter} pakt je blokkade op: "{text}". Je hoort van die persoon.',
    "checkins.pickup.not_allowed": "Alleen de procesbegeleider van dit team kan blokkades oppakken.",
    "checkins.cmd.help": (
        "**Check-ins instellen** (voor procesbegeleiders)\n"
        "• `{cmd} checkin <team>`: de instellingen bekijken\n"
        "• `{cmd} checkin <team> dagen ma,do` · `tijd 09:30` · `samenvatting 16:00` · `aan` · `uit` · `nu`\n"
        "• `{cmd} checkin <team> doorgaan` (ook na de laatste sprint) · `pauzeren` (standaard: stil na de laatste "
        "sprint)\n"
        "• `{cmd} checkin <team> vraag 2 <nieuwe tekst>` (`vraag 2 en <text>` voor Engels), "
        "`vraag erbij <tekst>`, `vraag weg 5`, `vragen standaard`\n"
        "• `{cmd} checkin rapport [team] [sprint of periode]`, `{cmd} checkin export [team] [periode]`\n"
        "• `{cmd} mijn checkins`: je eigen antwoorden\n"
        "Check-ins helpen het team; ze zijn niet bedoeld om mensen te beoordelen."
    ),
    "checkins.cmd.settings": (
        "**Check-ins van {team}**: {state}\nDagen: {days} · tijd: {time} (lokale tijd van elk lid) · "
        "samenvatting: {summary} ({tz})\nVragen:\n{questions}"
    ),
    "checkins.cmd.on": "aan",
    "checkins.cmd.pause": "na de laatste sprint pauzeren ze (`doorgaan` houdt ze aan)",
    "checkins.cmd.keep": "ze gaan door na de laatste sprint (`pauzeren` zet dat terug)",
    "checkins.paused": (
        "De laatste sprint van {team} eindigde op {end}. Daarom staan de check-ins van {team} nu stil; ze gaan "
        "vanzelf weer door als er een nieuwe sprint is. Wil je ze toch houden? Typ `{cmd} checkin {team} doorgaan`."
    ),
    "checkins.cmd.now": "Verstuurd: {count} teamlid/teamleden kregen nu de check-in (wie vandaag vrij is niet).",
    "checkins.cmd.off": "uit",
    "checkins.cmd.saved": "Opgeslagen. {settings}",
    "checkins.cmd.no_team": "Ik ken geen team met de naam {name}. Teams: {teams}.",
    "checkins.cmd.which_team": "Voor welk team? Bijvoorbeeld `{cmd} checkin {example}`.",
    "checkins.cmd.no_teams": "Er zijn nog geen teams. Maak eerst een team aan.",
    "checkins.cmd.not_allowed": "Dit kan alleen een procesbegeleider van {team}.",
    "checkins.cmd.bad_days": (
        "Ik begrijp deze dagen niet: {value}. Schrijf bijvoorbeeld `ma,do` of `maandag,donderdag`."
    ),
    "checkins.cmd.weekend": "Check-ins zijn alleen op werkdagen (maandag tot en met vrijdag).",
    "checkins.cmd.bad_time": "Ik begrijp deze tijd niet: {value}. Schrijf bijvoorbeeld `09:30`.",
    "checkins.cmd.summary_before": "De samenvatting ({summary}) moet later zijn dan de check-in ({time}).",
    "checkins.cmd.bad_question": "Geef het nummer van een vraag (1 tot en met {count}) en de nieuwe tekst.",
    "checkins.cmd.question_too_long": "Een vraag mag maximaal {max} tekens zijn.",
    "checkins.cmd.keep_confidence": (
        "De vertrouwensvraag (1-5) kan niet weg; hij maakt de trend. Je kunt de tekst wel aanpassen."
    ),
    "checkins.cmd.too_many": "Maximaal {max} vragen; dan blijft het twee minuten werk.",
    "checkins.cmd.unknown": "Dat begrijp ik niet. {help}",
    "checkins.mine.title": "**Jouw check-ins**",
    "checkins.mine.none": "Je hebt nog geen check-ins. Alleen jij ziet deze lijst.",
    "checkins.mine.footer": "Alleen jij ziet deze lijst. Antwoorden worden na {days} dagen gewist.",
    "checkins.status.answered": "ingevuld",
    "checkins.status.skipped": "overgeslagen",
    "checkins.status.off": "vrij",
    "checkins.status.prompted": "niet ingevuld",
    "checkins.status.later": "niet ingevuld",
    "checkins.report.title": "**Check-in rapport {team}** — {period}",
    "checkins.report.participation": "Deelname: {answered}/{expected} ({pct}%)",
    "checkins.report.blockers": "Blokkades: {open} open, {picked} opgepakt",
    "checkins.report.trend": "Vertrouwen: {spark} ({values})",
    "checkins.report.legend": "✓ ingevuld · – overgeslagen · v vrij · . geen antwoord",
    "checkins.report.none": "Geen check-ins in deze periode.",
    "checkins.report.bad_period": (
        "Ik begrijp de periode niet: {value}. Gebruik een sprintnaam, `4w`, `30d` of `2026-11-01..2026-11-30`."
    ),
    "checkins.report.sprint": "sprint {name}",
    "checkins.report.retention": "Antwoorden ouder dan {days} dagen zijn gewist; alleen totalen bleven over.",
    "checkins.export.uploaded": "Het CSV-bestand staat in je privébericht.",
    "checkins.export.inline": "CSV van {team}:\n```\n{csv}```",
    "checkins.digest.title": "**Weekoverzicht check-ins** — week {week}",
    "checkins.digest.team": "**{team}**: deelname {answered}/{expected}, vertrouwen {spark}",
    "checkins.digest.silent": "  • Al {rounds} check-ins stil: {names}",
    "checkins.digest.blockers": "  • Open blokkades: {count}",
    "checkins.digest.falling": "  • Vertrouwen daalt: {before} → {after}",
    "checkins.digest.all_well": "  • Niets bijzonders.",
    "checkins.digest.footer": "Bel even met wie stil is: vaak is er iets wat het team kan oplossen.",
    "privacy.kind.checkins": "Je check-in antwoorden (gewist na de bewaartermijn)",
}

EN = {
    "checkins.q.done": "What did you do for the sprint goal since the last check-in?",
    "checkins.q.next": "What will you do next?",
    "checkins.q.blocker": "Where are you stuck, or what do you need?",
    "checkins.q.confidence": "How confident are you that the team reaches the sprint goal? (1 = not very, 5 = very)",
    "checkins.q.blocker_hint": "Type 'nothing' if you are not stuck.",
    "checkins.prompt.title": "{team} check-in",
    "checkins.prompt.body": (
        "Hi {name}! Time for the {team} check-in. It takes two minutes. "
        "Your answers help the team; they are not meant to assess you.\n"
        "Click **Answer**, or reply here one question per message.\n\n"
        "**Question 1 of {count}:** {question}"
    ),
    "checkins.reminder.body": (
        "A small reminder: the {team} check-in is still open. I make the summary at {summary}. "
        "Click **Answer** or reply here.\n\n**Question {number} of {count}:** {question}"
    ),
    "checkins.button.open": "Answer",
    "checkins.button.edit": "Edit answers",
    "checkins.button.later": "Later (in 1 hour)",
    "checkins.button.skip": "Skip today",
    "checkins.button.off": "I'm off",
    "checkins.button.pickup": "I'll pick it up",
    "checkins.button.csv": "Download CSV",
    "checkins.button.settings": "Change",
    "checkins.form.title": "Check-in settings",
    "checkins.form.days": "Days (for example mon,thu)",
    "checkins.form.time": "Check-in time (each member's local time)",
    "checkins.form.summary": "Summary time (the team's time zone)",
    "checkins.form.question": "Question {number} (Dutch)",
    "checkins.form.question_en": "Question {number} in English",
    "checkins.later.ok": "OK, I'll ask you again in an hour (at {time}).",
    "checkins.later.too_late": "In an hour it is after working hours. You can still answer until {summary}, and after.",
    "checkins.skip.ok": "Fine, you skip this check-in. See you next time!",
    "checkins.off.ok": "Enjoy your day off! I noted today as a day off, so you get no more messages today.",
    "checkins.question": "**Question {number} of {count}:** {question}",
    "checkins.stopped": "Stopped. You can answer later with the **Answer** button in my message.",
    "checkins.thanks": "Thank you! Your answers are in. You can change them until the next check-in.",
    "checkins.thanks_late": "Thank you! The summary was already posted; I add your answers to its thread.",
    "checkins.updated": "Your answers were updated.",
    "checkins.next_team": "Now the **{team}** check-in:",
    "checkins.unchanged": "Your answers were already saved like this. Nothing changed.",
    "checkins.error.empty": "This answer is empty. Please write a few words.",
    "checkins.error.too_long": "This answer is too long: {length} characters. The maximum is {max}.",
    "checkins.error.emoji": "I only see emoji or symbols. Please add a few words so the team can follow you.",
    "checkins.error.scale": "Choose a number from 1 to 5.",
    "checkins.error.blocker_emoji": (
        "I only see emoji. Type 'nothing' if you are not stuck, or describe briefly where you are stuck."
    ),
    "checkins.error.round_gone": "This check-in no longer exists. Please wait for the next one.",
    "checkins.error.not_yours": "This check-in is not meant for you.",
    "checkins.defused": "Note: I do not pass on notifications such as @channel and @-mentions.",
    "checkins.modal.title": "Check-in",
    "checkins.modal.submit": "Send",
    "checkins.modal.close": "Cancel",
    "checkins.summary.title": "{team} check-in — {date}",
    "checkins.summary.participation": "Participation: {answered}/{expected}",
    "checkins.summary.confidence": "Confidence in the sprint goal: average {avg} {spark}",
    "checkins.summary.no_confidence": "Confidence in the sprint goal: no figures yet",
    "checkins.summary.blockers": "**Blockers**",
    "checkins.summary.no_blockers": "No blockers reported.",
    "checkins.summary.missing": "Not answered yet: {names}",
    "checkins.summary.skipped": "Skipped: {names}",
    "checkins.summary.off": "Off: {names}",
    "checkins.summary.thread_hint": "The answers are in the thread.",
    "checkins.summary.purpose": "Check-ins help the team; they are not for assessing people.",
    "checkins.thread.late": "(answered late)",
    "checkins.thread.edited": "(edited)",
    "checkins.blocker.dm": "**Blocker in {team}** — {name} wrote in the check-in of {date}:\n> {text}",
    "checkins.pickup.done": "You pick up this blocker. I told {name} that you will get in touch.",
    "checkins.pickup.already": "This blocker was already picked up by {name}.",
    "checkins.pickup.member": '{supporter} picks up your blocker: "{text}". You will hear from them.',
    "checkins.pickup.not_allowed": "Only the team's process supporter can pick up blockers.",
    "checkins.cmd.help": (
        "**Setting up check-ins** (for process supporters)\n"
        "• `{cmd} checkin <team>`: show the settings\n"
        "• `{cmd} checkin <team> days mon,thu` · `time 09:30` · `summary 16:00` · `on` · `off` · `now`\n"
        "• `{cmd} checkin <team> question 2 en <new text>` (`question 2 nl <tekst>` for Dutch), "
        "`question add <text>`, `question remove 5`, `questions default`\n"
        "• `{cmd} checkin rapport [team] [sprint or period]`, `{cmd} checkin export [team] [period]`\n"
        "• `{cmd} mijn checkins`: your own answers\n"
        "Check-ins help the team; they are not for assessing people."
    ),
    "checkins.cmd.settings": (
        "**{team} check-ins**: {state}\nDays: {days} · time: {time} (each member's local time) · "
        "summary: {summary} ({tz})\nQuestions:\n{questions}"
    ),
    "checkins.cmd.on": "on",
    "checkins.cmd.pause": "they pause after the last sprint (`keep` keeps them on)",
    "checkins.cmd.keep": "they go on after the last sprint (`pause` undoes that)",
    "checkins.paused": (
        "The last sprint of {team} ended on {end}, so its check-ins are paused; they start again by themselves "
        "when there is a new sprint. Want to keep them? Type `{cmd} checkin {team} keep`."
    ),
    "checkins.cmd.now": "Sent: {count} member(s) got the check-in now (not those who are off today).",
    "checkins.cmd.off": "off",
    "checkins.cmd.saved": "Saved. {settings}",
    "checkins.cmd.no_team": "I don't know a team called {name}. Teams: {teams}.",
    "checkins.cmd.which_team": "For which team? For example `{cmd} checkin {example}`.",
    "checkins.cmd.no_teams": "There are no teams yet. Create a team first.",
    "checkins.cmd.not_allowed": "Only a process supporter of {team} can do this.",
    "checkins.cmd.bad_days": "I don't understand these days: {value}. Write for example `mon,thu`.",
    "checkins.cmd.weekend": "Check-ins are on working days only (Monday to Friday).",
    "checkins.cmd.bad_time": "I don't understand this time: {value}. Write for example `09:30`.",
    "checkins.cmd.summary_before": "The summary ({summary}) must be later than the check-in ({time}).",
    "checkins.cmd.bad_question": "Give the number of a question (1 to {count}) and the new text.",
    "checkins.cmd.question_too_long": "A question can be at most {max} characters.",
    "checkins.cmd.keep_confidence": (
        "The confidence question (1-5) cannot be removed; it makes the trend. You can change its text."
    ),
    "checkins.cmd.too_many": "At most {max} questions, so it stays two minutes of work.",
    "checkins.cmd.unknown": "I don't understand that. {help}",
    "checkins.mine.title": "**Your check-ins**",
    "checkins.mine.none": "You have no check-ins yet. Only you see this list.",
    "checkins.mine.footer": "Only you see this list. Answers are erased after {days} days.",
    "checkins.status.answered": "answered",
    "checkins.status.skipped": "skipped",
    "checkins.status.off": "off",
    "checkins.status.prompted": "not answered",
    "checkins.status.later": "not answered",
    "checkins.report.title": "**{team} check-in report** — {period}",
    "checkins.report.participation": "Participation: {answered}/{expected} ({pct}%)",
    "checkins.report.blockers": "Blockers: {open} open, {picked} picked up",
    "checkins.report.trend": "Confidence: {spark} ({values})",
    "checkins.report.legend": "✓ answered · – skipped · v off · . no answer",
    "checkins.report.none": "No check-ins in this period.",
    "checkins.report.bad_period": (
        "I don't understand the period: {value}. Use a sprint name, `4w`, `30d` or `2026-11-01..2026-11-30`."
    ),
    "checkins.report.sprint": "sprint {name}",
    "checkins.report.retention": "Answers older than {days} days were erased; only totals remain.",
    "checkins.export.uploaded": "The CSV file is in your direct messages.",
    "checkins.export.inline": "CSV of {team}:\n```\n{csv}```",
    "checkins.digest.title": "**Weekly check-in digest** — week {week}",
    "checkins.digest.team": "**{team}**: participation {answered}/{expected}, confidence {spark}",
    "checkins.digest.silent": "  • Silent for {rounds} check-ins: {names}",
    "checkins.digest.blockers": "  • Open blockers: {count}",
    "checkins.digest.falling": "  • Confidence falling: {before} → {after}",
    "checkins.digest.all_well": "  • Nothing special.",
    "checkins.digest.footer": "Give the silent ones a call: often there is something the team can solve.",
    "privacy.kind.checkins": "Your check-in answers (erased after the retention period)",
}
