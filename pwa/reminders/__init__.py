"""Reminders by Web Push (issue 15): schedules, VAPID, the store, the sender and the API."""
