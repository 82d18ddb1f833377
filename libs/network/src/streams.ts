/** Stream names of the network context. */
export const agencyStream = (agencyId: string) => `agency-${agencyId}`;
export const staffStream = (userId: string) => `staff-${userId}`;
export const serviceStream = (serviceId: string) => `service-${serviceId}`;
/** One stream whose first event proves the network was bootstrapped once. */
export const NETWORK_STREAM = 'network';
