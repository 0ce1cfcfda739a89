"""Runs the CRM's infrastructure as local processes for ``make run`` and tests.

MongoDB-protocol server (mongo-java-server), RabbitMQ, Redis and an SMTP capture
server, each started on a chosen port with its data under a chosen folder. The
pytest plugin (:mod:`crm_localinfra.pytest_plugin`) and ``python -m
crm_localinfra run`` are built on the handles defined here.
"""

from crm_localinfra.infra import LocalInfra
from crm_localinfra.mongo import MongoServer
from crm_localinfra.rabbitmq import RabbitMQNode
from crm_localinfra.redis import RedisServer
from crm_localinfra.smtp import CapturedMessage, SmtpCapture

__all__ = [
    "CapturedMessage",
    "LocalInfra",
    "MongoServer",
    "RabbitMQNode",
    "RedisServer",
    "SmtpCapture",
]
