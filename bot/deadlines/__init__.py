"""Krachtteams: teams, sprints, deadlines, the nudge plan and its sending, the Monday overview."""
