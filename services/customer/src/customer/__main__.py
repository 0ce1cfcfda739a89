"""Run the customer service: ``python -m customer`` or ``crm-customer``."""

from crm_chassis.service import run_service
from customer.app import create_app
from customer.settings import Settings


def main() -> None:
    settings = Settings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
