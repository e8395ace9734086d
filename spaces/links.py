"""Where the pages of spaces show links to higher layers' pages (chamber.links): a space's
page, for applying for it or ranking the applications that ask for it."""

from chamber.links import Slot

SPACE_PAGE = Slot("spaces:detail")
