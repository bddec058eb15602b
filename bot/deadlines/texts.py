"""Texts of the deadlines feature: teams, sprints, deadlines, nudges, dates."""

NL = {
    "dl.day_names": "maandag,dinsdag,woensdag,donderdag,vrijdag,zaterdag,zondag",
    "dl.month_names": "januari,februari,maart,april,mei,juni,juli,augustus,september,oktober,november,december",
    "dl.when": "{weekday} {day} {month} om {time}",
    "date.empty": "Je gaf geen datum. Bijvoorbeeld: `vrijdag`, `morgen 17:00`, `12-12` of `12 december 15:00`.",
    "date.too_long": "Die datum is te lang. Typ bijvoorbeeld `12-12 17:00`.",
    "date.impossible": "`{text}` bestaat niet als datum. Typ bijvoorbeeld `28-02` of `1 maart`.",
    "date.past": "`{text}` ligt in het verleden. Kies een moment in de toekomst, bijvoorbeeld `morgen 17:00`.",
    "date.bad_time": "`{text}` is geen geldige tijd. Typ bijvoorbeeld `17:00` of `9.30`.",
    "date.month_first": "`{text}` lees ik als dag-maand, en maand {text} bestaat niet. Bedoel je `{swapped}`?",
    "date.ambiguous_weekday": (
        "Vandaag is het {text}. Bedoel je vandaag of volgende week? Typ `vandaag 17:00` of `{next}`."
    ),
    "date.unknown": (
        "`{text}` herken ik niet als datum. Voorbeelden: `vrijdag`, `morgen 17:00`, `12-12`, "
        "`12 december`, `2026-12-12 17:00`."
    ),
    "date.too_far": "`{text}` ligt meer dan drie jaar weg. Klopt het jaartal?",
    "date.long_ago": "`{text}` ligt meer dan drie jaar in het verleden. Klopt het jaartal?",
    "dl.not_supporter": (
        "Dit mag alleen een procesbegeleider van {team}. Vraag het de procesbegeleider van je team; "
        "die staat in `{cmd} team {team}`."
    ),
    "dl.not_supporter_any": (
        "Een team aanmaken mag alleen een procesbegeleider (ingesteld in PROCESS_SUPPORTERS). "
        "Vraag het de procesbegeleider van je krachtteam."
    ),
    "dl.no_team": "Ik ken geen team `{name}`. Teams die ik ken: {teams}.",
    "dl.no_teams": "Er zijn nog geen teams. Een procesbegeleider maakt er een met `{cmd} team nieuw <naam>`.",
    "dl.team_exists": "Het team {team} bestaat al.",
    "dl.team_created": "Team **{team}** is aangemaakt. Je bent procesbegeleider van dit team.",
    "dl.team_usage": (
        "Zo gebruik je `{cmd} team`:\n• `{cmd} team nieuw <naam> [kanaal]`\n"
        "• `{cmd} team <naam>` (laat het team zien)\n"
        "• `{cmd} team lid <team> | @persoon [naam] [tijdzone]`\n• `{cmd} team begeleider <team> | @persoon`\n"
        "• `{cmd} team weg <team> | @persoon`\n• `{cmd} team kanaal <team> | <kanaal>`"
    ),
    "dl.bad_user": "`{text}` herken ik niet als persoon. Noem iemand met @, bijvoorbeeld `@anna`.",
    "dl.bad_name": "Een naam mag niet leeg zijn en hooguit {max} tekens hebben.",
    "dl.bad_tz": "`{tz}` is geen tijdzone die ik ken. Gebruik bijvoorbeeld `Europe/Amsterdam`.",
    "dl.member_added": "{who} is toegevoegd aan {team} als {role}.",
    "dl.member_already": "{who} zit al in {team} als {role}.",
    "dl.member_removed": "{who} is uit {team} gehaald.",
    "dl.member_not_in_team": "{who} zit niet in {team}.",
    "dl.role_member": "lid",
    "dl.role_supporter": "procesbegeleider",
    "dl.channel_set": "Het kanaal van {team} is nu {channel}.",
    "dl.team_show": (
        "**{team}**\nKanaal: {channel}\nProcesbegeleiders: {supporters}\nLeden: {members}\nSprints: {sprints}"
    ),
    "dl.teams_list": "**Teams**\n{lines}",
    "dl.nobody": "(nog niemand)",
    "dl.none": "(geen)",
    "dl.sprints_empty": "Er zijn nog geen sprints.",
    "dl.sprint_usage": (
        "Zo gebruik je `{cmd} sprint`:\n• `{cmd} sprint nieuw <team> | <naam> | <start> | <eind> [| doel]`\n"
        "• `{cmd} sprint lijst [team]`\n• `{cmd} sprint verzet <team> | <naam> | <start> | <eind>`\n"
        "• `{cmd} sprint doel <team> | <naam> | <doel>`"
    ),
    "dl.sprint_created": "Sprint **{sprint}** van {team} staat erin: {start} t/m {end}.",
    "dl.sprint_exists": "{team} heeft al een sprint {sprint}.",
    "dl.sprint_order": "Het einde ({end}) ligt voor de start ({start}). Draai ze om?",
    "dl.sprint_too_long": "Een sprint van meer dan een half jaar? Controleer de data ({start} t/m {end}).",
    "dl.no_sprint": "{team} heeft geen sprint `{name}`. Sprints: {sprints}.",
    "dl.no_sprints": "{team} heeft nog geen sprint. Maak er eerst een met `{cmd} sprint nieuw`.",
    "dl.sprint_moved": "Sprint **{sprint}** loopt nu van {start} t/m {end}.",
    "dl.sprint_goal_set": "Het doel van {sprint} is bijgewerkt.",
    "dl.sprint_line": "• **{sprint}** ({team}): {start} t/m {end}{goal}",
    "dl.deadline_usage": (
        "Zo gebruik je `{cmd} deadline`:\n• `{cmd} deadline nieuw <team> | <titel> | <wanneer> | <eigenaren of team> "
        "[| sprint]`\n  bijvoorbeeld `{cmd} deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @anna`\n"
        "• `{cmd} deadline lijst [team]`\n• `{cmd} deadline verzet <nr> | <wanneer>`\n"
        "• `{cmd} deadline klaar <nr>`\n• `{cmd} deadline weg <nr>`\n• `{cmd} deadline titel <nr> | <nieuwe titel>`\n"
        "• `{cmd} deadlines ical [team]`"
    ),
    "dl.deadline_created": "Deadline #{id} **{title}** ({team}) staat erin: {when}. Eigenaar(s): {owners}.",
    "dl.deadline_exists": "In {sprint} bestaat al een deadline `{title}` (#{id}).",
    "dl.deadline_outside_sprint": " Let op: dat valt buiten sprint {sprint} ({start} t/m {end}).",
    "dl.no_deadline": "Ik ken geen deadline #{id}. Zie `{cmd} deadline lijst`.",
    "dl.bad_id": "Geef het nummer van de deadline, bijvoorbeeld `{cmd} deadline klaar 12`.",
    "dl.deadline_moved": "Deadline #{id} **{title}** is verzet naar {when}. De herinneringen zijn opnieuw gepland.",
    "dl.deadline_done": "Deadline #{id} **{title}** is klaar. Goed gedaan!",
    "dl.deadline_already_done": "Deadline #{id} **{title}** was al klaar ({who}).",
    "dl.deadline_deleted": "Deadline #{id} **{title}** is verwijderd. Er gaan geen herinneringen meer over uit.",
    "dl.deadline_renamed": "Deadline #{id} heet nu **{title}**.",
    "dl.owners_unknown": "Deze mensen zitten niet in {team}: {who}. Voeg ze eerst toe met `{cmd} team lid`.",
    "dl.owners_missing": "Wie is eigenaar? Noem mensen met @, of schrijf `team` voor het hele team.",
    "dl.team_owners": "het hele team",
    "dl.deadline_line": "• #{id} **{title}** — {when} — {owners}{status}",
    "dl.status_done": " ✓ klaar",
    "dl.status_overdue": " ⚠ te laat",
    "dl.deadlines_title": "**Deadlines**",
    "dl.no_deadlines": "Geen open deadlines.",
    "dl.mine_title": "**Jouw deadlines**",
    "dl.mine_none": "Je hebt geen open deadlines. Lekker bezig!",
    "dl.not_owner": "Alleen de eigenaar(s) van #{id} of een procesbegeleider van {team} kunnen deze deadline afvinken.",
    "dl.not_your_team": "Je zit niet in {team}, dus deze deadline kun je niet zien of wijzigen.",
    "dl.free_set": "Je vaste vrije dag(en): {days}. Op die dagen stuur ik je geen herinneringen.",
    "dl.free_cleared": "Je hebt geen vaste vrije dagen meer.",
    "dl.free_usage": "Typ bijvoorbeeld `{cmd} vrije dagen vrijdag` of `{cmd} vrije dagen geen`.",
    "dl.bad_weekday": "`{text}` is geen weekdag. Gebruik bijvoorbeeld `maandag` of `vrijdag`.",
    "dl.free_all_week": "Dan heb je geen werkdagen meer over. Kies minder vrije dagen.",
    "dl.away_set": "Genoteerd: je bent afwezig van {start} t/m {end}. Herinneringen komen dan eerder.",
    "dl.away_cleared": "Je afwezigheid is gewist ({count}).",
    "dl.away_over": "Afwezig van {start} t/m {end} ligt helemaal in het verleden; ik heb niets veranderd.",
    "dl.away_past": (
        "Afwezig kan niet beginnen in het verleden ({start}). Begin vandaag: `{cmd} afwezig vandaag tot {end}`."
    ),
    "dl.away_confirm": (
        "Afwezig van {start} t/m {end} is {weeks} weken zonder herinneringen en check-ins. "
        "Klopt dat? Klik dan op de knop."
    ),
    "dl.away_reversed": "Bedoelde je van {first} tot {second}? Typ dan `{cmd} afwezig {first} tot {second}`.",
    "dl.away_confirm_button": "Ja, zet afwezig",
    "dl.away_usage": "Typ bijvoorbeeld `{cmd} afwezig 21-12 tot 3-1`, `{cmd} afwezig morgen` of `{cmd} afwezig wis`.",
    "dl.away_too_long": "Afwezig van {start} t/m {end} is meer dan een jaar. Klopt dat?",
    "dl.too_long": "Dat is te lang ({count} tekens). Houd het korter dan {max} tekens.",
    "dl.ical_ready": "Agenda van {team}: {count} items. Sla de bijlage op als `{filename}` en open hem in Outlook.",
    "dl.ical_which": "Van welk team? Typ `{cmd} deadlines ical <team>`.",
    "dl.btn_new": "Nieuwe deadline",
    "dl.form_heading": "Nieuwe deadline",
    "dl.form_submit": "Opslaan",
    "dl.form_close": "Annuleren",
    "dl.form_sprint": "Team en sprint",
    "dl.form_title": "Titel",
    "dl.form_due": "Wanneer moet het af?",
    "dl.form_due_hint": "Zoals je het zou zeggen: `vrijdag 17:00`, `morgen`, `12-12 15:00` of `12 december`.",
    "dl.form_owners": "Eigenaren",
    "dl.form_owners_hint": "Laat je dit leeg, dan is het hele team eigenaar.",
    "dl.form_no_sprints": (
        "Een deadline toevoegen kan alleen de procesbegeleider van een team met een lopende sprint. "
        "Ben jij dat? Maak dan eerst een sprint met `{cmd} sprint nieuw`. Anders helpt je procesbegeleider je graag."
    ),
    "dl.form_sprint_gone": "Deze sprint bestaat niet meer. Kies een andere.",
    "dl.form_duplicate": "Er is net al een deadline `{title}` in deze sprint gemaakt.",
    "nudge.before": "Herinnering: **{title}** ({team}) moet af op {when}.",
    "nudge.day": "Vandaag is het zover: **{title}** ({team}) moet af om {time}.",
    "nudge.overdue": "**{title}** ({team}) had af moeten zijn op {when}. Is het al klaar? Of heb je hulp nodig?",
    "nudge.snooze": "Je vroeg me het je te herinneren: **{title}** ({team}) moet af op {when}.",
    "nudge.escalation": (
        "**{title}** ({team}) is over de deadline ({when}). Nog open bij: {who}. Misschien even bellen?"
    ),
    "nudge.btn_done": "Klaar",
    "nudge.btn_snooze": "Herinner me morgen",
    "nudge.btn_help": "Hulp nodig",
    "nudge.done_update": "✓ **{title}** is klaar. Dank je wel!",
    "nudge.done_channel": "✓ {who} heeft **{title}** afgerond.",
    "nudge.snoozed": "Goed, ik herinner je {when} opnieuw aan **{title}**.",
    "nudge.help_sent": "Ik heb {who} gevraagd je te helpen met **{title}**.",
    "nudge.help_none": "Er is geen procesbegeleider ingesteld voor {team}. Vraag het iemand in je team.",
    "nudge.help_post": "{who} heeft hulp nodig bij **{title}** ({team}, deadline {when}).{link}",
    "nudge.gone": "Deze deadline bestaat niet meer. Er komen geen herinneringen meer over.",
    "overview.title": "**Weekoverzicht {team}**",
    "overview.due": "**Deze week**",
    "overview.overdue": "**Te laat**",
    "overview.done": "**Vorige week klaar**",
    "overview.empty": "Niets deze week. Fijne week!",
}

EN = {
    "dl.none": "(none)",
    "dl.sprints_empty": "There are no sprints yet.",
    "dl.day_names": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "dl.month_names": "January,February,March,April,May,June,July,August,September,October,November,December",
    "dl.when": "{weekday} {day} {month} at {time}",
    "date.empty": "You gave no date. For example: `friday`, `tomorrow 17:00`, `12-12` or `12 december 15:00`.",
    "date.too_long": "That date is too long. Type for example `12-12 17:00`.",
    "date.impossible": "`{text}` is not a real date. Type for example `28-02` or `1 march`.",
    "date.past": "`{text}` is in the past. Pick a moment in the future, for example `tomorrow 17:00`.",
    "date.bad_time": "`{text}` is not a valid time. Type for example `17:00`.",
    "date.month_first": "I read `{text}` as day-month, and month {text} does not exist. Did you mean `{swapped}`?",
    "date.ambiguous_weekday": "Today is {text}. Do you mean today or next week? Type `today 17:00` or `{next}`.",
    "date.unknown": (
        "I don't recognise `{text}` as a date. Examples: `friday`, `tomorrow 17:00`, `12-12`, "
        "`12 december`, `2026-12-12 17:00`."
    ),
    "date.too_far": "`{text}` is more than three years away. Is the year right?",
    "date.long_ago": "`{text}` is more than three years ago. Is the year right?",
    "dl.away_over": "Away from {start} to {end} is entirely in the past; I changed nothing.",
    "dl.away_past": "An absence cannot start in the past ({start}). Start today: `{cmd} away today to {end}`.",
    "dl.away_confirm": "Away from {start} to {end} is {weeks} weeks without reminders and check-ins. Is that right? "
    "Then click the button.",
    "dl.away_reversed": "Did you mean from {first} to {second}? Then type `{cmd} away {first} to {second}`.",
    "dl.away_confirm_button": "Yes, set away",
    "dl.not_supporter": "Only a process supporter of {team} may do this. Ask your team's process supporter.",
    "dl.not_supporter_any": "Only a process supporter (PROCESS_SUPPORTERS) may create a team.",
    "dl.no_team": "I don't know a team `{name}`. Teams I know: {teams}.",
    "dl.no_teams": "There are no teams yet. A process supporter creates one with `{cmd} team nieuw <name>`.",
    "dl.team_created": "Team **{team}** has been created. You are its process supporter.",
    "dl.bad_user": "I don't recognise `{text}` as a person. Mention someone with @.",
    "dl.not_owner": "Only the owner(s) of #{id} or a process supporter of {team} can mark this deadline done.",
    "dl.not_your_team": "You are not in {team}, so you cannot see or change this deadline.",
    "dl.mine_title": "**Your deadlines**",
    "dl.mine_none": "You have no open deadlines.",
    "dl.btn_new": "New deadline",
    "dl.form_heading": "New deadline",
    "dl.form_submit": "Save",
    "dl.form_close": "Cancel",
    "dl.form_sprint": "Team and sprint",
    "dl.form_title": "Title",
    "dl.form_due": "When is it due?",
    "dl.form_due_hint": "As you would say it: `friday 17:00`, `tomorrow`, `12-12 15:00` or `12 december`.",
    "dl.form_owners": "Owners",
    "dl.form_owners_hint": "Leave empty to make the whole team the owner.",
    "dl.form_no_sprints": (
        "Only the process supporter of a team with a running sprint can add a deadline. "
        "Is that you? Then first create a sprint with `{cmd} sprint nieuw`. Otherwise your process supporter will "
        "gladly help."
    ),
    "dl.form_sprint_gone": "This sprint no longer exists. Please pick another one.",
    "dl.form_duplicate": "A deadline `{title}` was just created in this sprint.",
    "nudge.before": "Reminder: **{title}** ({team}) is due {when}.",
    "nudge.day": "Today's the day: **{title}** ({team}) is due at {time}.",
    "nudge.overdue": "**{title}** ({team}) was due {when}. Is it done? Or do you need help?",
    "nudge.snooze": "You asked me to remind you: **{title}** ({team}) is due {when}.",
    "nudge.escalation": "**{title}** ({team}) is past its deadline ({when}). Still open for: {who}.",
    "nudge.btn_done": "Done",
    "nudge.btn_snooze": "Remind me tomorrow",
    "nudge.btn_help": "Need help",
    "nudge.done_update": "✓ **{title}** is done. Thank you!",
    "nudge.done_channel": "✓ {who} finished **{title}**.",
    "nudge.snoozed": "OK, I'll remind you about **{title}** again {when}.",
    "nudge.help_sent": "I've asked {who} to help you with **{title}**.",
    "nudge.help_none": "No process supporter is set for {team}. Ask someone in your team.",
    "nudge.gone": "This deadline no longer exists. No more reminders about it.",
}
