"""Stand-up check-ins: settings, prompts in DMs, answers, summaries and reports."""
