"Convenience re-exports: `from multifit_fastai.all import *`"
# Hand-written (not exported by nbdev): fastai's text API (`DataBlock`, `TextBlock`, `language_model_learner`, ...), as
# `from fastai.text.all import *` gives it, then the public API of every library module (which wins where names meet).
from fastai.text.all import *
from .files import *
from .qrnn import *
from .models import *
from .tokenizer import *
from .data import *
from .debian_text import *
from .html_text import *
from .debian_corpus import *
from .corpus import *
from .wikipedia import *
from .corpus_dls import *
from .benchmarks import *
from .callbacks import *
from .bundle import *
from .learner import *
from .training import *
from .baseline import *
from .documents import *
from .prediction import *
from .demo import *
from .bootstrap import *
from .reports import *
from .experiments import *
from .perf import *
from .import_v1 import *
from .distributed import *
from .reliability import *
