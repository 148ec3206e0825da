"""The network's events: the national day, seasonal picnics, SocialLabs start-up days, Social
Talks and each co-operative's own activities; sign-ups with a waiting list, cancelling by
code, and checking people in at the door — online or replayed from a phone's outbox."""
