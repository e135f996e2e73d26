"""Run the cityqa command line: python -m cityqa."""
from cityqa.cli import main

main()
