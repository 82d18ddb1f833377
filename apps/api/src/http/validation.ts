import { ValidationPipe } from '@nestjs/common';
import { fieldProblems, ValidationFailed } from '@harbour/kernel';

export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(fieldProblems(errors)),
  });
