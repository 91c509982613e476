"""How HQ measures its assigned tasks (F7) in its evaluation of units (issue 10)."""

from decimal import Decimal

from django.db.models import Q

from ravabet.compliance.measures import Measure, declare

from .models import Assignment, AssignmentState


def _due(today):
    # An assignment counts once its deadline has passed, or earlier once HQ accepted it.
    return Q(task__due_date__lt=today) | Q(state=AssignmentState.ACCEPTED)


declare(
    Measure(item="F7", label="مأموریت‌های سررسیده که انجام و پذیرفته شد", model=Assignment, date="task__due_date",
            done=_due, kind="ratio", target=Decimal(0), quality=True,
            good=Q(state=AssignmentState.ACCEPTED, done_on_time=True),
            note="سهم مأموریت‌های سررسیده در دوره که تا مهلت انجام و در اداره کل پذیرفته شد."),
)
