# The handout's words under their old name, for the type checker only (nothing imports this
# module at run time, and there is none). The models moved to decision_aid.content.handout_text
# (issue 21, item 3); handout/_pdf.py still names them here under TYPE_CHECKING while another
# branch splits that file. Delete this stub once its import line names the new module.
from decision_aid.content.handout_text import HandoutText as HandoutText
