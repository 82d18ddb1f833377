import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_GENDERS } from './taxonomy.js';
import { AddressDto, OpeningHoursDto } from './directory/service.dto.js';
import { NEED_CATEGORIES, SECTORS } from '@harbour/vocabulary';

/** Response shapes of the network routes (OpenAPI only; the handlers return plain objects of these shapes). */

export class PrincipalView {
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ type: [String], example: ['caseworker'] }) roles!: string[];
  @ApiProperty({ enum: ['applicant', 'active', 'suspended', 'removed'] }) agencyStatus!: string;
  @ApiProperty({ enum: ['core', 'associate'] }) agencyTier!: string;
}

export class StaffView {
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() active!: boolean;
}

export class RoleGrantItem {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ description: 'The staff member granted the roles' }) userId!: string;
  @ApiProperty({ type: [String], example: ['caseworker'] }) roles!: string[];
  @ApiProperty({ description: 'Who granted them' }) grantedBy!: string;
  @ApiProperty({ format: 'date-time' }) grantedAt!: string;
}

export class RoleGrantsView {
  @ApiProperty({ type: [RoleGrantItem] }) items!: RoleGrantItem[];
}

export class AgencyView {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SECTORS }) sector!: string;
  @ApiProperty({ type: [String], example: ['on-toronto'] }) regions!: string[];
  @ApiProperty({ enum: ['core', 'associate'] }) requestedTier!: string;
  @ApiProperty({ enum: ['core', 'associate'], nullable: true, type: String }) tier!: string | null;
  @ApiProperty({ enum: ['applicant', 'active', 'suspended', 'removed'] }) status!: string;
  @ApiProperty() endorsements!: number;
  @ApiProperty({ nullable: true, type: String }) admittedVia!: string | null;
  @ApiProperty({ format: 'date-time' }) appliedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AgencyNotification {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty({ example: 'removal-motion-against-you' }) kind!: string;
  @ApiProperty({ format: 'uuid' }) subjectAgencyId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) motionId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details!: unknown;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

class EligibilityView {
  @ApiProperty({ enum: SERVICE_GENDERS }) gender!: string;
  @ApiProperty({ nullable: true, type: Number }) minAge!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxAge!: number | null;
}

export class ServiceView {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() agencyName!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) needs!: string[];
  @ApiProperty({ type: [String], example: ['en', 'es'] }) languages!: string[];
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty({ type: EligibilityView }) eligibility!: EligibilityView;
  @ApiProperty({ type: [OpeningHoursDto] }) hours!: OpeningHoursDto[];
  @ApiProperty() acceptingReferrals!: boolean;
  @ApiProperty() responseWindowHours!: number;
  @ApiProperty({
    type: AddressDto,
    nullable: true,
    description: 'Null in search results when the address is confidential, and for anyone outside the agency',
  })
  address!: AddressDto | null;
  @ApiProperty() addressConfidential!: boolean;
}

/** Every write answers `id` (the resource written) and `version` (its stream version after the write). */
export class AgencyWritten {
  @ApiProperty({ format: 'uuid', description: 'The motion for motion routes, else the agency' }) id!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ description: "The agency stream's version after the write (If-Match for the next one)" })
  version!: number;
  @ApiPropertyOptional({ format: 'uuid' }) motionId?: string;
}

export class StaffWritten {
  @ApiProperty({ description: 'The staff user id' }) id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() version!: number;
}

export class ServiceWritten {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty() version!: number;
}

export class ServicePage {
  @ApiProperty({ type: [ServiceView] }) items!: ServiceView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
