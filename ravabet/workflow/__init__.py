"""Declared workflows: every record that moves through states does it here, one way.

A model declares its states with a `StateField` and each transition as a method decorated with
`step(...)` (django-fsm-2's `transition` plus what Ravabet needs: roles, named guards with Persian
refusals, required fields, who is told, the log code). `move(obj, "approve", by=user)` is the only
way a state changes: it locks the row, re-reads it, checks role and guards once, saves the changed
fields, logs before/after and tells whoever must act next. `allowed(obj, access)` gives templates
their buttons; `ravabet.workflow.views.transition` runs any step from a POST.

Models import from `ravabet.workflow.declare` (no model imports there, so it loads before the app
registry); services and views import `move`, `allowed` and the refusals from `ravabet.workflow.engine`.

    class News(WorkflowModel):
        state = StateField("وضعیت", choices=S.choices, default=S.DRAFT)

        @step(source=S.SUBMITTED, target=S.APPROVED, roles=HQ_ROLES, label="تأیید", log="news.approved",
              notify=[Notice(author, "خبر «{obj.title:.80}» تأیید شد")])
        def approve(self, by):
            ...
"""
