"""How much of the lab's instrument time was booked, used and lost to downtime, by instrument, week and company."""
