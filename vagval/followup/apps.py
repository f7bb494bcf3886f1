from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "vagval.followup"
    label = "followup"
    verbose_name = "Avslut och uppföljning"

    def ready(self) -> None:
        # Re-entry (people) marks the open exit superseded, in the re-entry's own transaction.
        from vagval.followup.services import on_enrolment_reopened
        from vagval.people.signals import enrolment_reopened

        enrolment_reopened.connect(on_enrolment_reopened, dispatch_uid="followup.enrolment_reopened")
