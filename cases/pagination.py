"""Pages of long lists that are not counted (a COUNT over millions of rows is not worth a page
number): the records list, the audit trail."""

from dataclasses import dataclass


@dataclass
class OpenEndedPage:
    """A page of a list that is not counted: whether there is a next page is known from one row
    more than the page shows (上一页 / 第 N 页 / 下一页)."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1
