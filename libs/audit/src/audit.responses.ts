import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCESS_OUTCOMES } from './access/access.events.js';

/** Response shapes of the audit routes (OpenAPI only). Every write answers `id` and `version`. */

class ActorView {
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agencyId!: string | null;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
}

class WithheldView {
  @ApiProperty() section!: string;
  @ApiProperty({ description: 'A fixed word' }) reason!: string;
}

class BasisView {
  @ApiProperty() section!: string;
  @ApiProperty({ enum: ['care-team', 'consent', 'break-glass'] }) kind!: string;
  @ApiPropertyOptional({ format: 'uuid' }) consentId?: string;
  @ApiPropertyOptional() version?: number;
  @ApiPropertyOptional({ format: 'uuid' }) grantId?: string;
}

export class TrailItemView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ description: 'Global log position (a decimal string)' }) position!: string;
  @ApiProperty({ enum: ['read', 'log-view'] }) kind!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
  @ApiProperty({ nullable: true, type: String }) purpose!: string | null;
  @ApiProperty({ enum: ACCESS_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: [String] }) sectionsReturned!: string[];
  @ApiProperty({ type: [WithheldView] }) sectionsWithheld!: WithheldView[];
  @ApiProperty({ type: [BasisView] }) basis!: BasisView[];
  @ApiProperty({ nullable: true, type: String }) view!: string | null;
  @ApiProperty() requestId!: string;
  @ApiProperty({ example: 'GET /v1/intakes/:survivorId' }) route!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the decision point was asked (null: older events, log views, refusals made outside it)',
  })
  decidedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The consent stream version the decision read (-1: no consent yet; null: not recorded)',
  })
  consentStreamVersion!: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The caller's own X-Request-Id, for their correlation only (never Harbour's requestId)",
  })
  clientRequestId!: string | null;
}

export class TrailPageView {
  @ApiProperty({ type: [TrailItemView] }) items!: TrailItemView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass back as `cursor` for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}

export class FhirBundleView {
  @ApiProperty({ enum: ['Bundle'] }) resourceType!: string;
  @ApiProperty({ enum: ['searchset'] }) type!: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Links: self, next',
  })
  link?: unknown[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'One entry per access event: { resource: AuditEvent } (docs/fhir-audit-event.md)',
  })
  entry!: unknown[];
}

class DisclosureEntryView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
  @ApiProperty({ type: [String] }) sections!: string[];
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String] }) basis!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { consentId: { type: 'string' }, version: { type: 'integer' } } },
  })
  consents!: unknown[];
  @ApiProperty({ description: 'One sentence a survivor can read' }) sentence!: string;
}

class AgencyDisclosuresView {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agencyId!: string | null;
  @ApiProperty() agencyName!: string;
  @ApiProperty() reads!: number;
  @ApiProperty({ format: 'date-time' }) firstSeen!: string;
  @ApiProperty({ format: 'date-time' }) lastSeen!: string;
  @ApiProperty({ type: [String] }) sections!: string[];
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({ type: [String] }) basis!: string[];
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [DisclosureEntryView] }) entries!: DisclosureEntryView[];
}

export class ShareCodeDisclosureView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() agencyId!: string;
  @ApiProperty() agencyName!: string;
  @ApiProperty({ type: [String] }) sections!: string[];
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty() sentence!: string;
}

export class DisclosureReportView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty() title!: string;
  @ApiProperty() introduction!: string;
  @ApiProperty({ type: [AgencyDisclosuresView] }) agencies!: AgencyDisclosuresView[];
  @ApiProperty({
    type: [ShareCodeDisclosureView],
    description: "Where and when the survivor's share codes opened the record",
  })
  shareCodes!: ShareCodeDisclosureView[];
}

export class BreakGlassOpened {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) grantId!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() version!: number;
}

export class BreakGlassClosed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) grantId!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ enum: ['closed', 'expired'], nullable: true, type: String }) reason!: string | null;
  @ApiProperty() version!: number;
}

export class BreakGlassReviewed {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) grantId!: string;
  @ApiProperty({ enum: ['justified', 'not-justified'] }) finding!: string;
  @ApiProperty() version!: number;
}

class PendingReviewView {
  @ApiProperty({ format: 'uuid' }) grantId!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endReason!: string | null;
  @ApiProperty({ enum: ['justified', 'not-justified'], nullable: true, type: String }) finding!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) justification!: string | null;
  @ApiProperty({ type: [TrailItemView], description: 'The reads made under this emergency access' })
  reads!: TrailItemView[];
}

export class ReviewQueueView {
  @ApiProperty({ type: [PendingReviewView] }) items!: PendingReviewView[];
}

class FlagView {
  @ApiProperty({ format: 'uuid' }) flagId!: string;
  @ApiProperty({ example: 'outside-care-team' }) rule!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agencyId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) survivorId!: string | null;
  @ApiProperty({ format: 'date' }) day!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolvedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
}

export class FlagPageView {
  @ApiProperty({ type: [FlagView] }) items!: FlagView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class FlagResolvedView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "Always 0: the resolution is the flag stream's only event" }) version!: number;
  @ApiProperty({ format: 'uuid' }) flagId!: string;
  @ApiProperty() resolution!: string;
  @ApiProperty({ format: 'date-time' }) resolvedAt!: string;
}

class FindingView {
  @ApiProperty({ enum: ['event', 'checkpoint'] }) kind!: string;
  @ApiProperty({ example: 'content-altered' }) problem!: string;
  @ApiProperty() explanation!: string;
  @ApiPropertyOptional() globalPosition?: string;
  @ApiPropertyOptional() streamId?: string;
  @ApiPropertyOptional() streamVersion?: number;
  @ApiPropertyOptional() sequence?: number;
}

export class IntegrityView {
  @ApiProperty() ok!: boolean;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() streamsChecked!: number;
  @ApiProperty({
    type: FindingView,
    nullable: true,
    description: 'The first thing wrong: a bad event before a bad checkpoint',
  })
  firstBad!: FindingView | null;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) findings!: unknown[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'ok, checkpointsChecked, eventsCovered, coveredTo, keyId (the key verified against), keyIds (every notary key, oldest first, as the hand-overs link them), firstBad, findings',
  })
  checkpoints!: Record<string, unknown>;
}

class CheckpointView {
  @ApiProperty() sequence!: number;
  @ApiProperty() fromPosition!: string;
  @ApiProperty() toPosition!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty({ description: 'RFC 6962 Merkle tree hash, hex' }) merkleRoot!: string;
  @ApiProperty({ nullable: true, type: String }) previousSignature!: string | null;
  @ApiProperty() keyId!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'only on a key hand-over: publicKey (the signer, SPKI DER base64), nextKeyId, nextPublicKey, nextSignature (the incoming key over the same bytes)',
  })
  handOver?: Record<string, unknown>;
  @ApiProperty({ description: 'base64' }) signature!: string;
}

export class LatestCheckpointView {
  @ApiProperty({ type: CheckpointView, nullable: true }) checkpoint!: CheckpointView | null;
}

export class NotaryKeyView {
  @ApiProperty() keyId!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: string;
  @ApiProperty() publicKeyPem!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) publicKeyJwk!: Record<string, unknown>;
}
