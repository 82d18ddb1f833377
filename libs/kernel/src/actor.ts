/** Who acts: the signed-in staff member, their agency and the role they act in. */
export interface Actor {
  userId: string;
  agencyId: string | null;
  role: string | null;
}

/** The system itself (projections, timers, operator CLI) when no person is acting. */
export const systemActor = (name: string): Actor => ({ userId: `system:${name}`, agencyId: null, role: 'system' });
