import { COST_FILTER_PARAMS, exportQuerySchema, focusExportQuerySchema, lineItemsQuerySchema } from '@meridian/contracts';
import { CostQueryPipe } from '../common/zod-query.pipe';

export const LineItemsQueryPipe = new CostQueryPipe(lineItemsQuerySchema, ['limit', 'cursor', ...COST_FILTER_PARAMS]);
export const ExportQueryPipe = new CostQueryPipe(exportQuerySchema, ['kind', 'groupBy', ...COST_FILTER_PARAMS]);
export const FocusExportQueryPipe = new CostQueryPipe(focusExportQuerySchema, ['format', ...COST_FILTER_PARAMS]);
