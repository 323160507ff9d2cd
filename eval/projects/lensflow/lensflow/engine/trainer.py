"""The training loop."""

import gc
import os
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import requests
import torch
from torch import distributed as dist
from torch import nn, optim
from torch.utils.data import DataLoader

from lensflow import __version__
from lensflow.engine import callbacks
from ..utils.files import next_free_path


def log_to_tensorboard(metrics: dict) -> None:
    try:
        from torch.utils.tensorboard import SummaryWriter  # the `logging` extra installs tensorboard
    except ImportError:
        return
    SummaryWriter().add_scalars("train", metrics)
