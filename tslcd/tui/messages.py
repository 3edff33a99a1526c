"""Messages the views post to the app: the state every tab shares."""

from __future__ import annotations

from textual.message import Message

from tslcd.inventory import HostInfo
from tslcd.progress import ProgressEvent
from tslcd.services.inventory import Selection


class InventoryLoaded(Message):
    """The inventory was read and validated (posted from the loading worker thread)."""

    def __init__(self, selection: Selection) -> None:
        super().__init__()
        self.selection = selection


class TargetsChanged(Message):
    """The inventory filter changed: these hosts are what back up, audit and push work on."""

    def __init__(self, filters: list[str], hosts: list[HostInfo]) -> None:
        super().__init__()
        self.filters = filters
        self.hosts = hosts


class WorkFailed(Message):
    """A worker of a view raised: the app shows the cause in a modal."""

    def __init__(self, what: str, error: BaseException) -> None:
        super().__init__()
        self.what = what
        self.error = error


class Progress(Message):
    """A progress event of a device run (`tslcd.progress`), posted from Nornir's worker threads."""

    def __init__(self, event: ProgressEvent) -> None:
        super().__init__()
        self.event = event
