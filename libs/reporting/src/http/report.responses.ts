import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Response shapes of the report routes (OpenAPI only). */

class MeasureView {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Whether it answers median and p90 (days) rather than counts' }) percentiles!: boolean;
  @ApiProperty({ type: [String] }) dimensions!: string[];
}

class ReportKindView {
  @ApiProperty({ example: 'referrals' }) name!: string;
  @ApiProperty({ type: [MeasureView] }) measures!: MeasureView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'Each dimension and its values',
  })
  dimensions!: Record<string, string[]>;
}

export class ReportCatalogueView {
  @ApiProperty({ description: 'Cells below this count are withheld' }) k!: number;
  @ApiProperty() rounding!: boolean;
  @ApiProperty({ enum: ['month', 'quarter'] }) period!: string;
  @ApiProperty({ type: [ReportKindView] }) reports!: ReportKindView[];
}

export class PrivacyBudgetView {
  @ApiProperty({ description: 'Lifetime epsilon' }) budget!: number;
  @ApiProperty() spent!: number;
  @ApiProperty() remaining!: number;
}

class CellView {
  @ApiProperty() row!: string;
  @ApiPropertyOptional() column?: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Null when withheld' }) count!: number | null;
  @ApiPropertyOptional({ enum: [true] }) suppressed?: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) median?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) p90?: number | null;
}

class SliceView {
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({ type: [CellView] }) cells!: CellView[];
  @ApiPropertyOptional({ type: [CellView] }) rowTotals?: CellView[];
  @ApiPropertyOptional({ type: [CellView] }) columnTotals?: CellView[];
  @ApiProperty({ type: CellView }) total!: CellView;
}

export class ReportTableView {
  @ApiProperty() report!: string;
  @ApiProperty() measure!: string;
  @ApiProperty({ enum: ['month', 'quarter'] }) period!: string;
  @ApiProperty({ example: '2026-01' }) from!: string;
  @ApiProperty({ example: '2026-06' }) to!: string;
  @ApiProperty({ nullable: true, type: String }) rows!: string | null;
  @ApiProperty({ nullable: true, type: String }) columns!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { dimension: { type: 'string' }, value: { type: 'string' } },
  })
  filter!: { dimension: string; value: string } | null;
  @ApiProperty() k!: number;
  @ApiProperty() rounding!: boolean;
  @ApiProperty({
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['suppression', 'differential-privacy'] },
      epsilon: { type: 'number' },
      spent: { type: 'number' },
      remaining: { type: 'number' },
    },
    required: ['mode'],
  })
  privacy!: Record<string, unknown>;
  @ApiProperty({ type: [SliceView] }) slices!: SliceView[];
}
