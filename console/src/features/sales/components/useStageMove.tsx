/**
 * Moving an opportunity to another stage, from the board or its page: the card
 * moves at once; a gate asks for its fields in a dialog and the move is retried; a
 * concurrent change (412) shows the newer version instead of overwriting it.
 */
import { useQueryClient } from "@tanstack/react-query";
import { App } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, errorText } from "@/lib/api/problem";

import {
  moveStage,
  type Opportunity,
  opportunityKeys,
  updateOpportunity,
} from "../api/opportunities";
import { type GateField, missingGateFields } from "../lib/gates";
import { GateDialog, type GateValues } from "./GateDialog";

type Page = { items: Opportunity[]; total: number; offset: number; limit: number };

interface Gate {
  opportunity: Opportunity;
  stage: string;
  missing: GateField[];
}

export function useStageMove(stageName: (key: string) => string): {
  move: (opportunity: Opportunity, stage: string) => void;
  moving: string | null;
  dialog: ReactNode;
} {
  const { t } = useTranslation(["sales", "common"]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [gate, setGate] = useState<Gate | null>(null);
  const [moving, setMoving] = useState<string | null>(null);

  const put = (saved: Opportunity) => {
    queryClient.setQueryData(opportunityKeys.one(saved.opportunity_id), saved);
    // Both views of the board (every deal, stalled only) hold the deal as it is now.
    queryClient.setQueriesData<Page>(
      { queryKey: opportunityKeys.board(saved.pipeline_id) },
      (page) =>
        page
          ? {
              ...page,
              items: page.items.map((item) =>
                item.opportunity_id === saved.opportunity_id ? saved : item,
              ),
            }
          : page,
    );
  };

  const store = (saved: Opportunity) => {
    put(saved);
    void queryClient.invalidateQueries({ queryKey: opportunityKeys.all });
  };

  const showNewer = () => {
    void message.warning(t("errors.conflict", { ns: "common" }));
    void queryClient.invalidateQueries({ queryKey: opportunityKeys.all });
  };

  const moved = (saved: Opportunity) => {
    store(saved);
    void message.success(t("board.moved", { name: saved.name, stage: stageName(saved.stage) }));
  };

  const move = (opportunity: Opportunity, stage: string) => {
    if (stage === opportunity.stage) return;
    setMoving(opportunity.opportunity_id);
    // Shown in the new column at once; put back if the API refuses.
    put({ ...opportunity, stage });
    moveStage(opportunity, stage)
      .then(moved)
      .catch((error: unknown) => {
        put(opportunity);
        const missing = missingGateFields(error);
        if (missing.length) setGate({ opportunity, stage, missing });
        else if (error instanceof ApiError && error.status === 412) showNewer();
        else void message.error(errorText(t, error));
      })
      .finally(() => setMoving(null));
  };

  const passGate = async ({ changes, reason }: GateValues) => {
    if (!gate) return;
    let current = gate.opportunity;
    try {
      if (Object.keys(changes).length) {
        current = await updateOpportunity(current, changes);
        store(current);
      }
      moved(await moveStage(current, gate.stage, reason));
      setGate(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        setGate(null);
        showNewer();
        return;
      }
      const missing = missingGateFields(error);
      if (missing.length) {
        setGate({ opportunity: current, stage: gate.stage, missing });
        return;
      }
      if (!(error instanceof ApiError && error.problem.errors?.length)) {
        void message.error(errorText(t, error));
      }
      throw error; // field errors go beside their fields
    }
  };

  const dialog = gate ? (
    <GateDialog
      key={`${gate.opportunity.opportunity_id}-${gate.missing.join()}`}
      opportunity={gate.opportunity}
      stageName={stageName(gate.stage)}
      missing={gate.missing}
      onSubmit={passGate}
      onCancel={() => setGate(null)}
    />
  ) : null;

  return { move, moving, dialog };
}
