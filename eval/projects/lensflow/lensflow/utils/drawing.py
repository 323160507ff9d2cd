"""Boxes, labels and masks drawn on images, and training curves plotted."""

import contextlib
import math
from pathlib import Path

import cv2
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import LinearSegmentedColormap
from PIL import Image, ImageDraw, ImageFont
from PIL import __version__ as pil_version

from lensflow.utils import files
from .checks import check_font, is_ascii
from .files import next_free_path
