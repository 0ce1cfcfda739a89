"""Answers to a campaign (form sign-ups, replies), handed to sales as leads."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime

from crm_chassis.mongo import Document
from marketing.domain.responses import Respondent, record_response
from marketing.store.campaigns import CampaignStore
from marketing.store.responses import ResponseStore


async def record_campaign_response(
    campaigns: CampaignStore,
    responses: ResponseStore,
    campaign_id: str,
    respondent: Respondent,
    now: datetime,
) -> Document:
    """Record that someone answered the campaign; sales receives it as a lead."""
    campaign = await campaigns.require(campaign_id)
    response_id = uuid.uuid4().hex
    events = record_response(response_id, campaign_id, campaign.status, respondent, now)
    document = {
        "_id": response_id,
        "campaign_id": campaign_id,
        **asdict(respondent),
        "responded_at": now,
    }
    await responses.insert(document, events)
    return document
