// The decider shape lives in the kernel (every context's aggregates use it); re-exported here for the store's own users.
export { type DecisionContext, type Decider, type DomainEvent, fold } from '@harbour/kernel';
