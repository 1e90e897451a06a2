from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Atlas"

    def ready(self) -> None:
        from events.search import signals_connect

        signals_connect()  # search documents follow every saved event, evidence and report
