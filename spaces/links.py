"""Where the pages of spaces show links to higher layers' pages (chamber.links): a space's
page, for applying for it or ranking the applications that ask for it, and an allocation's
holder."""

from chamber.links import Slot

SPACE_PAGE = Slot("spaces:detail")
# Beside each allocation on a space's occupancy page: its holder's own page (an application
# and its activity reports), for staff.
ALLOCATION_ROW = Slot("spaces:occupancy")
