"""/api/v1/pipelines: configurable stages with probabilities and gates."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from crm_chassis.concurrency import etag, expected_version
from crm_chassis.errors import Conflict, NotFound
from sales.api.deps import ComponentsDep, IfMatch, ReadSales, SalesAdmin
from sales.api.opportunity_models import PipelineIn, PipelineOut
from sales.domain.pipelines import Pipeline
from sales.operations.ids import new_id

router = APIRouter(prefix="/api/v1/pipelines", tags=["pipelines"])


@router.get("")
async def list_pipelines(principal: ReadSales, parts: ComponentsDep) -> list[PipelineOut]:
    return [PipelineOut.of(p) for p in await parts.pipelines.find({}, sort=[("_id", 1)], limit=200)]


@router.get("/{pipeline_id}")
async def get_pipeline(
    pipeline_id: str, principal: ReadSales, parts: ComponentsDep, response: Response
) -> PipelineOut:
    pipeline = await parts.pipelines.get(pipeline_id)
    if pipeline is None:
        raise NotFound("No pipeline with that id.")
    response.headers["ETag"] = etag(pipeline.version)
    return PipelineOut.of(pipeline)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_pipeline(
    body: PipelineIn, principal: SalesAdmin, parts: ComponentsDep
) -> PipelineOut:
    pipeline = Pipeline(pipeline_id=new_id(), **body.model_dump())
    await parts.pipelines.insert(pipeline)
    return PipelineOut.of(pipeline)


@router.put("/{pipeline_id}")
async def replace_pipeline(
    pipeline_id: str,
    body: PipelineIn,
    principal: SalesAdmin,
    parts: ComponentsDep,
    response: Response,
    if_match: IfMatch = None,
) -> PipelineOut:
    """Replace the stages; refused while open opportunities sit in a stage being removed."""
    version = expected_version(if_match)
    current = await parts.pipelines.get(pipeline_id)
    if current is None:
        raise NotFound("No pipeline with that id.")
    updated = Pipeline(pipeline_id=pipeline_id, version=current.version, **body.model_dump())
    kept = {stage.key for stage in updated.stages}
    removed = [stage.key for stage in current.stages if stage.key not in kept]
    if removed and await parts.opportunities.count(
        {"pipeline_id": pipeline_id, "status": "open", "stage": {"$in": removed}}
    ):
        raise Conflict(f"Open opportunities are still in {', '.join(removed)}.")
    saved = await parts.pipelines.save(updated, version if version is not None else current.version)
    response.headers["ETag"] = etag(saved.version)
    return PipelineOut.of(saved)
