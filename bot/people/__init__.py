"""People: members, their availability, and what lefbot keeps about them (privacy)."""
