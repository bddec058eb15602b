"""The Slack adapter: a Bolt app wired to the platform-neutral core (the only place that imports Slack)."""
