import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CaseAccess,
  Exposes,
  Meta,
  type Principal,
  Public,
  RecordsRefusals,
  type RequestMeta,
  Roles,
} from '@harbour/auth';
import { CLOCK, type Clock, Problems } from '@harbour/kernel';
import { AccessRecorder } from './access/access-recorder.js';
import type { AccessLogView } from './access/access.events.js';
import {
  DisclosureQueryDto,
  FlagQueryDto,
  OpenBreakGlassDto,
  ResolveFlagDto,
  ReviewDto,
  ReviewQueryDto,
  TrailQueryDto,
} from './audit.dto.js';
import { BreakGlassService } from './break-glass/break-glass.service.js';
import { disclosureCsv, disclosureHtml, disclosureReport } from './disclosure/disclosure-report.js';
import { ShareCodeUses } from './disclosure/share-code-uses.js';
import { auditEventBundle } from './fhir/fhir-audit-event.js';
import { FlagsService } from './flags/flags.service.js';
import { AuditIntegrity } from './notary/audit-integrity.service.js';
import { Notary } from './notary/notary.service.js';
import { AccessTrailQueries, type TrailFilter } from './trail/access-trail.queries.js';
import { CareTeams, officerScope, PRIVACY_ROLES } from './trail/officer-scope.js';
import { PrivacyErrors } from '@harbour/privacy';
import { AuditErrors } from './errors.js';
import {
  BreakGlassClosed,
  BreakGlassOpened,
  BreakGlassReviewed,
  DisclosureReportView,
  FhirBundleView,
  FlagPageView,
  FlagResolvedView,
  IntegrityView,
  LatestCheckpointView,
  NotaryKeyView,
  ReviewQueueView,
  TrailPageView,
} from './audit.responses.js';

const UUID = new ParseUUIDPipe();
const filterOf = (q: TrailQueryDto): TrailFilter => ({
  survivorId: q.survivorId,
  userId: q.userId,
  agencyId: q.agencyId,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
  purpose: q.purpose,
  basis: q.basis,
  outcome: q.outcome,
  kind: q.kind,
});

/**
 * The access log for privacy officers and survivors. Everything here is metadata about access,
 * never section content; every answer that shows a survivor's trail is itself recorded
 * (AccessLogViewed, fail closed) before it is sent.
 */
@ApiTags('audit')
@ApiExtraModels(FhirBundleView, DisclosureReportView)
@ApiBearerAuth()
@RecordsRefusals() // on the routes naming a survivor: the disclosure report, break-glass
@Controller('audit')
export class AuditController {
  constructor(
    private readonly trail: AccessTrailQueries,
    private readonly careTeams: CareTeams,
    private readonly recorder: AccessRecorder,
    private readonly breakGlass: BreakGlassService,
    private readonly flags: FlagsService,
    private readonly integrity: AuditIntegrity,
    private readonly notary: Notary,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly modules: ModuleRef,
  ) {}

  /** The sharing context's answer, when this application has it (see ShareCodeUses). */
  private shareCodeUses(): ShareCodeUses | null {
    try {
      return this.modules.get(ShareCodeUses, { strict: false });
    } catch {
      return null;
    }
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('access-log')
  @Get('access-events')
  @ApiOperation({
    summary:
      'Access events, newest first, cursor-paged; filter by survivor, staff member, agency, time, purpose, basis, outcome',
  })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: TrailPageView })
  async events(@Query() query: TrailQueryDto, @Meta() meta: RequestMeta) {
    const page = await this.trail.page(officerScope(meta.principal), filterOf(query), query.cursor, query.limit ?? 50);
    await this.viewed(meta, 'trail', 'GET /v1/audit/access-events', [
      ...page.items.map((i) => i.survivorId),
      ...(query.survivorId ? [query.survivorId] : []),
    ]);
    return page;
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('access-log')
  @Get('access-events/fhir')
  @Header('Content-Type', 'application/fhir+json; charset=utf-8')
  @ApiOperation({
    summary: 'The same access events as a FHIR R4 Bundle of AuditEvent resources (docs/fhir-audit-event.md)',
  })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.accessNotRecorded)
  @ApiOkResponse({
    description: 'A FHIR R4 Bundle',
    content: { 'application/fhir+json': { schema: { $ref: getSchemaPath(FhirBundleView) } } },
  })
  async fhir(@Query() query: TrailQueryDto, @Meta() meta: RequestMeta) {
    const page = await this.trail.page(officerScope(meta.principal), filterOf(query), query.cursor, query.limit ?? 50);
    await this.viewed(meta, 'fhir-export', 'GET /v1/audit/access-events/fhir', [
      ...page.items.map((i) => i.survivorId),
      ...(query.survivorId ? [query.survivorId] : []),
    ]);
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([k, v]) => v !== undefined && k !== 'cursor')
        .map(([k, v]): [string, string] => [k, String(v)]),
    );
    const self = `/v1/audit/access-events/fhir?${params.toString()}`;
    return auditEventBundle(page.items, 'harbour', self, page.nextCursor ? `${self}&cursor=${page.nextCursor}` : null);
  }

  @Exposes('access-log')
  @Get('survivors/:survivorId/disclosures')
  @ApiOperation({
    summary:
      '"Who has seen my record": every read that showed something, by agency, in plain language (JSON, CSV or printable HTML)',
  })
  @Problems(AuditErrors.intakeNotFound, AuditErrors.notOnCareTeam, AuditErrors.accessNotRecorded)
  @ApiOkResponse({
    description: 'JSON (default), CSV or printable HTML (format=)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(DisclosureReportView) } },
      'text/csv': { schema: { type: 'string' } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  async disclosures(
    @Param('survivorId', UUID) survivorId: string,
    @Query() query: DisclosureQueryDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    await this.careTeams.requireTrailAccess(meta.principal, survivorId);
    const uses = (await this.shareCodeUses()?.forSurvivor(survivorId)) ?? [];
    const report = disclosureReport(survivorId, await this.trail.disclosures(survivorId), this.clock.now(), uses);
    await this.viewed(meta, 'disclosure-report', 'GET /v1/audit/survivors/:survivorId/disclosures', [survivorId]);
    switch (query.format ?? 'json') {
      case 'csv':
        void res
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="disclosures.csv"');
        return disclosureCsv(report);
      case 'html':
        void res.type('text/html; charset=utf-8');
        return disclosureHtml(report);
      default:
        return report;
    }
  }

  @CaseAccess()
  @Roles('supervisor')
  @Exposes('none')
  @Post('survivors/:survivorId/break-glass')
  @ApiOperation({
    summary:
      'Open emergency access to a record (supervisors; written justification; default 4 h, at most 24 h; always reviewed)',
  })
  @Problems(
    AuditErrors.notASupervisor,
    AuditErrors.intakeNotFound,
    AuditErrors.breakGlassExists,
    AuditErrors.breakGlassAlreadyOpen,
    PrivacyErrors.dataErased,
    PrivacyErrors.masterKeyUnavailable,
  )
  @ApiCreatedResponse({ type: BreakGlassOpened, description: 'Created' })
  openBreakGlass(
    @Param('survivorId', UUID) survivorId: string,
    @Body() body: OpenBreakGlassDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.breakGlass.open(meta.principal, meta.requestId, {
      survivorId,
      justification: body.justification,
      hours: body.hours,
    });
  }

  @CaseAccess()
  @Roles('supervisor')
  @Exposes('none')
  @Post('survivors/:survivorId/break-glass/:grantId/closure')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close your emergency access before it expires' })
  @Problems(AuditErrors.breakGlassNotFound, AuditErrors.breakGlassEnded, AuditErrors.notTheOpener)
  @ApiOkResponse({ type: BreakGlassClosed })
  closeBreakGlass(
    @Param('survivorId', UUID) survivorId: string,
    @Param('grantId', UUID) grantId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.breakGlass.close(meta.principal, meta.requestId, survivorId, grantId);
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('access-log')
  @Get('break-glass')
  @ApiOperation({
    summary: 'The break-glass review queue (pending by default), with justifications and the reads made under each',
  })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: ReviewQueueView })
  async reviewQueue(@Query() query: ReviewQueryDto, @Meta() meta: RequestMeta) {
    const scope = officerScope(meta.principal);
    const grants = await this.breakGlass.queue(scope, query.status ?? 'pending');
    const items = await Promise.all(
      grants.map(async (g) => ({
        ...g,
        reads: (await this.trail.page({ kind: 'network' }, { grantId: g.grantId }, undefined, 200)).items,
      })),
    );
    await this.viewed(
      meta,
      'break-glass-review',
      'GET /v1/audit/break-glass',
      items.map((g) => g.survivorId),
    );
    return { items };
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('none')
  @Post('survivors/:survivorId/break-glass/:grantId/review')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Record the privacy officer's finding on an ended emergency access (justified / not justified, with a note)",
  })
  @Problems(
    AuditErrors.notAPrivacyOfficer,
    AuditErrors.breakGlassNotFound,
    AuditErrors.ownBreakGlass,
    AuditErrors.breakGlassStillOpen,
    AuditErrors.breakGlassReviewed,
    PrivacyErrors.dataErased,
    PrivacyErrors.masterKeyUnavailable,
  )
  @ApiOkResponse({ type: BreakGlassReviewed })
  review(
    @Param('survivorId', UUID) survivorId: string,
    @Param('grantId', UUID) grantId: string,
    @Body() body: ReviewDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.breakGlass.review(
      meta.principal,
      officerScope(meta.principal),
      meta.requestId,
      survivorId,
      grantId,
      body.finding,
      body.note,
    );
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('access-log')
  @Get('flags')
  @ApiOperation({
    summary:
      'Flags raised on unusual access (outside care teams, repeated denials, break-glass, outside hours), newest first',
  })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: FlagPageView })
  async listFlags(@Query() query: FlagQueryDto, @Meta() meta: RequestMeta) {
    const page = await this.flags.page(
      officerScope(meta.principal),
      query.status ?? 'open',
      query.cursor,
      query.limit ?? 50,
    );
    await this.viewed(
      meta,
      'trail',
      'GET /v1/audit/flags',
      page.items.flatMap((f) => (f.survivorId ? [f.survivorId] : [])),
    );
    return page;
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('none')
  @Post('flags/:flagId/resolution')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve a flag with a conclusion and a note' })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.flagNotFound, AuditErrors.ownFlag, AuditErrors.flagResolved)
  @ApiOkResponse({ type: FlagResolvedView })
  resolveFlag(@Param('flagId', UUID) flagId: string, @Body() body: ResolveFlagDto, @Meta() meta: RequestMeta) {
    return this.flags.resolve(
      meta.principal,
      officerScope(meta.principal),
      meta.requestId,
      flagId,
      body.resolution,
      body.note,
    );
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('none')
  @Get('integrity')
  @ApiOperation({
    summary: 'Recompute the hash chains and the signed checkpoints; names the first bad event or checkpoint',
  })
  @ApiOkResponse({ type: IntegrityView })
  verify() {
    return this.integrity.verify();
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('none')
  @Get('integrity/checkpoints/latest')
  @ApiOperation({ summary: 'The newest signed checkpoint, for an outside party to keep as an anchor' })
  @ApiOkResponse({ type: LatestCheckpointView })
  async latest() {
    return { checkpoint: await this.integrity.latestCheckpoint() };
  }

  @Public()
  @Exposes('none')
  @Get('notary/public-key')
  @ApiOperation({
    summary: "The notary's Ed25519 public key (PEM and JWK): anyone may check the signed checkpoints with it",
  })
  @ApiOkResponse({ type: NotaryKeyView })
  async publicKey() {
    return (await this.notary.keyPair()).exportPublic();
  }

  /** Record who looked at whose trail (one event per survivor shown); refuses to answer if that fails. */
  private async viewed(meta: RequestMeta, view: AccessLogView, route: string, survivorIds: string[]): Promise<void> {
    const viewer = viewerOf(meta.principal);
    const requestId = meta.requestId ?? randomUUID();
    await this.recorder.recordLogViews(
      [...new Set(survivorIds)].map((survivorId) => ({ survivorId, viewer, view, requestId, route })),
    );
  }
}

function viewerOf(p: Principal) {
  const role =
    ['network-privacy-officer', 'privacy-officer', 'supervisor', 'caseworker'].find((r) => p.roles.includes(r)) ??
    p.roles[0] ??
    null;
  return { userId: p.userId, agencyId: p.agencyId, role };
}
