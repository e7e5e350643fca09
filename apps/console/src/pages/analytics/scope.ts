/** What the analytics page looks at: one product or all, over a time range. */
export interface Scope {
  product: string | null;
  from: string;
  to: string;
}
