"""Fine-tune a Coach reply model.

    python train/train.py --config train/configs/X.yaml [--output_dir D] [key=value ...]

Runs as is on CPU or one GPU, and the same under `accelerate launch --config_file train/accelerate/<cfg>.yaml`.
The recipe is data (train/configs/*.yaml); the work is in coach/training.py.
"""

import sys

from coach.training import main

if __name__ == "__main__":
    sys.exit(main())
