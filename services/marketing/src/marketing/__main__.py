"""``python -m marketing``: run the marketing service."""

from __future__ import annotations

from crm_chassis.service import run_service
from marketing.app import create_app
from marketing.settings import Settings


def main() -> None:
    settings = Settings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
