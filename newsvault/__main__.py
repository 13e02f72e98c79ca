import sys

from newsvault.cli import main

sys.exit(main())
