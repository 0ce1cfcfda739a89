/** Promotions (discounts, bundles, loyalty points) and their coupon codes. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, type Schemas } from "@/lib/api/client";
import { unwrap } from "@/lib/api/problem";

export type Promotion = Schemas["PromotionOut"];
export type PromotionCreate = Schemas["PromotionCreate"];
export type PromotionKind = Schemas["PromotionKind"];
export type Coupon = Schemas["CouponOut"];
export type CouponCreate = Schemas["CouponCreate"];

export const PROMOTION_KINDS: PromotionKind[] = [
  "percentage_discount",
  "fixed_discount",
  "bundle",
  "loyalty_points",
];

const KEY = ["marketing", "promotions"] as const;

export function usePromotions(filter: { active?: boolean; offset: number; limit: number }) {
  return useQuery({
    queryKey: [...KEY, "list", filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/promotions", {
          params: {
            query: { active: filter.active ?? null, offset: filter.offset, limit: filter.limit },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useCreatePromotion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: PromotionCreate) =>
      unwrap(await api.POST("/api/v1/promotions", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useCoupons(promotionId: string, filter: { offset: number; limit: number }) {
  return useQuery({
    queryKey: [...KEY, "coupons", promotionId, filter],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/coupons", {
          params: {
            query: { promotion_id: promotionId, offset: filter.offset, limit: filter.limit },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useIssueCoupon() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: CouponCreate) => unwrap(await api.POST("/api/v1/coupons", { body })),
    onSuccess: (coupon) =>
      client.invalidateQueries({ queryKey: [...KEY, "coupons", coupon.promotion_id] }),
  });
}
