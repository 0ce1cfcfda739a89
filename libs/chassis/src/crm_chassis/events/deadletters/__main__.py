import asyncio
import sys

from crm_chassis.events.deadletters.cli import run_cli

sys.exit(asyncio.run(run_cli()))
