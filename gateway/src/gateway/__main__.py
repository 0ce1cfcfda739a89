from crm_chassis.service import run_service
from gateway.app import create_app
from gateway.settings import Settings


def main() -> None:
    settings = Settings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
