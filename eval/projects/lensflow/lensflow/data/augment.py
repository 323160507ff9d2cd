"""Image augmentations for training, on numpy arrays and tensors."""

from __future__ import annotations

import math
import random
from copy import deepcopy
from typing import TYPE_CHECKING

import cv2
import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as TF
import yaml
from PIL import Image
from scipy import ndimage
from tqdm import tqdm

from lensflow.utils.checks import check_version

if TYPE_CHECKING:
    import pandas as pd
