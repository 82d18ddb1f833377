import { registerMessages } from '../../i18n.js';
import { registerScreens } from '../../screen.js';
import { agencyScreen } from './agency.js';
import { agenciesScreen } from './agencies.js';
import { messages } from './messages.js';
import { motionsScreen } from './motions.js';
import { newServiceScreen, serviceScreen } from './service.js';
import { servicesScreen } from './services.js';
import { staffScreen } from './staff.js';

registerMessages(messages);
registerScreens(
  agenciesScreen,
  agencyScreen,
  motionsScreen,
  staffScreen,
  servicesScreen,
  newServiceScreen,
  serviceScreen,
);
