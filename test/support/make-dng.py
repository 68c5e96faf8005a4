# A real DNG (Adobe's raw format, version 1.4) written with Debian's python3-tifffile: a 640x480
# 16-bit Bayer (RGGB) mosaic in a SubIFD, as a camera's sensor data, and an uncompressed RGB
# preview in IFD0, the way DNG stores its preview image. LibRaw (libraw-bin) decodes it.
# usage: make-dng.py OUT.dng PREVIEW.rgb WIDTH HEIGHT   (PREVIEW: raw 8-bit RGB bytes)
import sys

import numpy as np
import tifffile

out, preview = sys.argv[1], sys.argv[2]
pw, ph = int(sys.argv[3]), int(sys.argv[4])
rgb = np.fromfile(preview, np.uint8).reshape(ph, pw, 3)
W, H = 640, 480
y, x = np.mgrid[0:H, 0:W]
raw = np.zeros((H, W), np.uint16)
raw[0::2, 0::2] = x[0::2, 0::2] * 60
raw[0::2, 1::2] = y[0::2, 1::2] * 80
raw[1::2, 0::2] = y[1::2, 0::2] * 80
raw[1::2, 1::2] = 40000 - x[1::2, 1::2] * 50
tags = [
    (50706, 'B', 4, (1, 4, 0, 0), True),  # DNGVersion
    (50707, 'B', 4, (1, 1, 0, 0), True),  # DNGBackwardVersion
    (50708, 's', 0, 'Shoebox Test Camera', True),  # UniqueCameraModel
    (271, 's', 0, 'Shoebox', True),  # Make
    (272, 's', 0, 'Test Camera', True),  # Model
    (306, 's', 0, '2023:06:15 18:42:07', True),  # DateTime
    (50721, '2i', 9, (10000, 10000, 0, 10000, 0, 10000, 0, 10000, 10000, 10000, 0, 10000, 0, 10000, 0, 10000, 10000, 10000), True),  # ColorMatrix1
    (50778, 'H', 1, 21, True),  # CalibrationIlluminant1: D65
]
with tifffile.TiffWriter(out) as tif:
    tif.write(rgb, photometric='rgb', subfiletype=1, subifds=1, metadata=None, extratags=tags)
    tif.write(raw, photometric=32803, subfiletype=0, metadata=None, extratags=[
        (33421, 'H', 2, (2, 2), True),  # CFARepeatPatternDim
        (33422, 'B', 4, (0, 1, 1, 2), True),  # CFAPattern: RGGB
        (50717, 'I', 1, 65535, True),  # WhiteLevel
    ])
