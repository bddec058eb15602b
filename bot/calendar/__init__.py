"""Working days, holidays and date parsing."""
