"""Run the notifications service: ``python -m notifications`` or ``crm-notifications``."""

from crm_chassis.service import run_service
from notifications.app import create_app
from notifications.settings import Settings


def main() -> None:
    settings = Settings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
