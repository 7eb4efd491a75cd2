"Convenience re-exports: `from multifit_fastai.all import *`"
# Hand-written (not exported by nbdev): re-export the public API of every library module.
from .qrnn import *
from .models import *
from .tokenizer import *
from .data import *
from .debian_text import *
from .corpus import *
from .benchmarks import *
from .callbacks import *
from .learner import *
from .pipeline import *
from .bootstrap import *
from .experiments import *
from .perf import *
from .import_v1 import *
from .distributed import *
from .reliability import *
