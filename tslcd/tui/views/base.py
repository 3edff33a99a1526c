"""What every tab shares: worker failures travel to the app's one error handler."""

from __future__ import annotations

from textual.containers import Vertical
from textual.worker import Worker, WorkerState

from tslcd.tui.messages import WorkFailed


class View(Vertical):
    """A tab's content. Worker state messages do not bubble, so a failure is re-posted as one that does."""

    def activated(self) -> None:
        """The tab was just shown: a view showing the targets refreshes them here."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.post_message(WorkFailed(event.worker.name or "work", event.worker.error))
