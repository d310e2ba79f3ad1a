"""The values a catalogue file may use, checked when it is read."""

CONFIDENCES = ("verified", "secondary", "unconfirmed")
SEVERITIES = ("critical", "major", "minor")
EVIDENCE_KINDS = ("photo", "document", "measurement")
ANSWER_TYPES = ("yes_no", "yes_no_na", "number", "text")
DEADLINE_TYPES = (
    "recurring",
    "expiry",
    "roadmap",
    "calendar",
    "calendar_year",
    "within_days",
    "team_size",
    "training",
)
# Decree 105/2025 Art. 13.1: the points of inspection content, in the decree's order.
DECREE_POINTS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p")
TRAINING_DUTIES = ("head", "team_member", "assigned", "hazardous_work", "crew")
